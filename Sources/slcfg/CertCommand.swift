#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Certificates
import CfgDocument
import Foundation
import Handset
import Probe
import Files

struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Inspect certificates and put them into the handset's certificate slots.",
        subcommands: [
            CertInspect.self, CertShow.self, CertImport.self, CertImportDevice.self, CertExpiry.self, CertRotate.self,
            CertServe.self,
        ])
}

/// Reads a certificate file, or standard input for `-`.
func readCertificateFile(_ path: String) throws(CLIError) -> [UInt8] {
    let limit = FileStore.certificateLimit
    do throws(FileError) {
        if path == "-" { return try FileStore.readStandardInput(limit: limit, what: "a certificate chain") }
        let size = FileStore.size(of: path) ?? 0
        if size > limit {
            throw FileError(path: path, message: "holds \(size) bytes, more than a certificate chain ever is "
                + "(slcfg reads up to \(limit >> 20) MB)")
        }
        return try FileStore.read(path)
    } catch {
        throw CLIError(message: error.description)
    }
}

/// Decodes certificate input, turning refusals into one-line errors.
func decodeCertificates(_ bytes: [UInt8], from path: String) throws(CLIError) -> CertificateInput {
    do { return try CertificateInput(bytes) } catch {
        throw CLIError(message: "\(path == "-" ? "standard input" : path): \(error.description)", code: 1)
    }
}

/// Writes the facts of a certificate as aligned lines with an indent.
func writeFacts(_ facts: CertificateFacts, indent: String, to out: inout Output) {
    for (label, value) in facts.summaryLines() {
        out.write("\(indent)\(label + ":")\(String(repeating: " ", count: max(1, 13 - label.count)))\(value)\n")
    }
}

func jsonData<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

struct CertInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the facts of every certificate in a file (PEM, DER, base64, pasted text).")

    @Argument(help: "The certificate file, or '-' for standard input.", completion: .file())
    var certificate: String

    @Flag(help: "Print a JSON array of facts.")
    var json = false

    func run() throws {
        let input = try decodeCertificates(try readCertificateFile(certificate), from: certificate)
        guard !input.certificates.isEmpty else {
            let keys = input.privateKeys.map(\.label).joined(separator: ", ")
            throw CLIError(
                message:
                    "\(certificate): no certificate found, only "
                        + "\(input.privateKeys.count == 1 ? "a private key" : "private keys") (\(keys)); inspect the "
                        + "certificate file instead"
            )
        }
        var out = Output(fd: 1, kind: json ? .data : .text)
        if json {
            out.write(try jsonData(input.certificates) + "\n")
        } else {
            for (n, facts) in input.certificates.enumerated() {
                if input.certificates.count > 1 { out.write("Certificate \(n + 1) of \(input.certificates.count)\n") }
                writeFacts(facts, indent: input.certificates.count > 1 ? "  " : "", to: &out)
                for warning in facts.warnings() {
                    out.write("\(input.certificates.count > 1 ? "  " : "")warning: \(warning)\n")
                }
            }
            if !input.privateKeys.isEmpty {
                out.write(
                    "Also found \(input.privateKeys.count) private key\(input.privateKeys.count == 1 ? "" : "s") "
                        + "(\(input.privateKeys.map(\.label).joined(separator: ", "))); not shown\n"
                )
            }
        }
        out.flush()
    }
}

struct SlotOption: ParsableArguments {
    @Option(help: "The slot: 1 or 2.")
    var slot: Int

    func validate() throws {
        guard slot == 1 || slot == 2 else {
            throw ValidationError("--slot takes 1 or 2 (the handset has Platform CA 1 and 2)")
        }
    }
}

struct CertShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show what each certificate slot of the files holds, with its .set state.")

    @Argument(help: "Configuration files.", completion: .file())
    var files: [String]

    @Option(help: "Only slot 1 or 2 (CA and device).")
    var slot: Int?

    @Flag(help: "Print JSON.")
    var json = false

    struct Entry: Encodable {
        var file: String
        var slot: String
        var label: String
        var parameter: String?
        var set: String?
        var applied: Bool
        var status: String
        var certificate: CertificateFacts?
        var problem: String?
    }

    func run() throws {
        if let slot, slot != 1 && slot != 2 { throw CLIError(message: "--slot takes 1 or 2", code: 64) }
        var entries: [Entry] = []
        var notes: [Int: String] = [:]
        for file in files {
            let document = try LoadedFile.load(file).document
            let findings = Linter().lint(document)
            for s in CertificateSlot.all {
                let n: Int
                let key: String
                switch s {
                case .ca(let k): n = k; key = "ca\(k)"
                case .device(let k): n = k; key = "device\(k)"
                }
                if let slot, slot != n { continue }
                let c = document.contents(of: s, findings: findings)
                entries.append(
                    Entry(
                        file: file, slot: key, label: s.description, parameter: c.parameter, set: c.setValue,
                        applied: c.status.isApplied, status: c.status.description, certificate: c.facts,
                        problem: c.problem))
                if case .ignored(.setMisspelled) = c.status {
                    notes[entries.count - 1] = c.status.explanation(flag: s.setFlag, in: document)
                }
            }
        }
        var out = Output(fd: 1, kind: json ? .data : .text)
        if json {
            out.write(try jsonData(entries) + "\n")
        } else {
            var current = ""
            for (k, e) in entries.enumerated() {
                if e.file != current { out.write("\(e.file)\n"); current = e.file }
                let state = e.status
                defer { if let note = notes[k] { out.write("    \(note)\n") } }
                guard let parameter = e.parameter else {
                    out.write(
                        "  \(e.label): empty (no "
                            + "\(CertificateSlot.all.first { $0.description == e.label }?.parameter ?? "such") "
                            + "parameter in the file)\n"
                    )
                    continue
                }
                if let facts = e.certificate {
                    out.write("  \(e.label): \(parameter), \(state)\n")
                    writeFacts(facts, indent: "    ", to: &out)
                    for warning in facts.warnings() { out.write("    warning: \(warning)\n") }
                } else if let problem = e.problem {
                    out.write("  \(e.label): \(parameter), \(state): not a certificate: \(problem)\n")
                } else {
                    out.write("  \(e.label): \(parameter), \(state): empty\n")
                }
            }
        }
        out.flush()
    }
}

/// What `cert import` and `import-device` share: the edit of every file and the report.
extension OutputOptions {
    /// Applies `edit` to each file, then writes them all (or prints diffs).
    func apply(to files: [String], _ edit: (inout CfgDocument) throws(AssignmentError) -> [Assignment]) throws(CLIError)
    {
        try self.edit(files) { (loaded: inout LoadedFile) throws(CLIError) in
            let file = loaded.path
            do throws(AssignmentError) {
                let changes = try edit(&loaded.document)
                for change in changes { printError("\(file): \(describe(change))") }
            } catch {
                throw CLIError(message: "\(file): \(error.description); nothing was changed")
            }
            warnDeviceSet(ProvisioningSet(file: file, document: loaded.document))
        }
    }
}

/// Warns when the handset ignores every device.* parameter, the certificate just imported
/// included, and names the file to fix: the one whose device.set the handset reads.
func warnDeviceSet(_ set: ProvisioningSet) {
    let map = set.effective()
    let global = set.effectiveValue(Vocabulary.deviceSet, in: map)
    guard global != "1", let file = (map[Vocabulary.deviceSet]?.member ?? set.members.indices.last).map({
        set.members[$0].path
    }) else { return }
    printError(
        "\(file): warning: device.set is \(global.map { "\"\($0)\"" } ?? "missing"): the handset ignores every "
            + "device.* parameter, this certificate included; run: slcfg set \(file) device.set=1")
}

struct CertImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Put a CA certificate into Platform CA slot 1 or 2 with its .set flag.",
        discussion:
            "The last argument is the certificate (PEM, DER, base64, pasted text; '-' for standard input). From a "
                + "chain, the root CA is taken."
    )

    @Argument(help: "Configuration files, then the certificate file.", completion: .file())
    var paths: [String]

    @OptionGroup var slotOption: SlotOption

    @Option(
        name: .customLong("for"), help: "Also select profile N for this application: wlan (802.1X) or provisioning.",
        completion: .list(CertificatePurpose.allCases.map(\.rawValue)))
    var purpose: String?

    @Flag(help: "Store PEM with header and footer instead of one line of base64.")
    var pem = false

    @Flag(help: "Import a certificate that is not a root CA (an intermediate, or a server's own).")
    var allowNonRoot = false

    @Option(
        help: ArgumentHelp(
            "Fetch the chain from this server instead of a file: https://, ftpes:// (AUTH TLS) or ftps://host[:port]. "
                + "Its root is imported, from this machine's trust store when the server does not send it.",
            valueName: "url"))
    var fromServer: String?

    @Option(
        help: ArgumentHelp(
            "Fetch the chain from this RADIUS server through eapol_test (with --secret-file and --password-file or "
                + "--device-slot).",
            valueName: "host[:port]"))
    var fromRadius: String?

    @Option(help: "Seconds to wait for the server (--from-server, --from-radius).")
    var timeout: Double = 10

    @OptionGroup var radiusOptions: RadiusOptions

    @OptionGroup var destination: OutputOptions

    @OptionGroup var setOptions: SetOptions

    @Flag(help: "On a provisioning set, write through a link that leads outside its directory.")
    var writeOutside = false

    func run() throws {
        let fromNetwork = fromServer != nil || fromRadius != nil
        if fromNetwork { ProbeScratch.shared.cleanUpOnSignals() }
        guard paths.count >= (fromNetwork ? 1 : 2) else {
            throw CLIError(message: "name the configuration file(s) and then the certificate file", code: 64)
        }
        let purposeValue: CertificatePurpose?
        if let purpose {
            guard let p = CertificatePurpose(rawValue: purpose) else {
                throw CLIError(
                    message:
                        "--for takes \(CertificatePurpose.allCases.map(\.rawValue).joined(separator: " or ")), not "
                            + "'\(purpose)'",
                    code: 64)
            }
            purposeValue = p
        } else {
            purposeValue = nil
        }
        let configurations = fromNetwork ? paths : Array(paths.dropLast())
        let (certificateBytes, certificateSource, pinned) =
            fromNetwork ? try fetchRoot(configurations) : (try readCertificateFile(paths.last!), paths.last!, false)
        let plan: CAImport.Plan
        switch CAImport.plan(certificateBytes, allowNonRoot: allowNonRoot || pinned) {
        case .success(let p): plan = p
        case .failure(let refusal):
            let source = certificateSource == "-" ? "standard input" : certificateSource
            throw CLIError(message: "\(source): \(refusal.description)\(Self.advice(for: refusal))", code: 1)
        }
        let facts = plan.certificate
        let slot = slotOption.slot
        // Each change goes to the file where it takes effect (one file: that file).
        try destination.check(configurations)
        var opened: [OpenedSet] = []
        for configuration in configurations {
            var one = try setOptions.open(
                configuration, forUpdate: !destination.dryRun && destination.output == nil)
            one.set.reportProblems()
            let changes: [Int: [Assignment]]
            do { changes = try one.set.importCA(facts, slot: slot, purpose: purposeValue, asPEM: pem) } catch {
                throw CLIError(message: "\(configuration): \(error.description); nothing was changed")
            }
            for (m, list) in changes.sorted(by: { $0.key < $1.key }) {
                for change in list { printError("\(one.set.members[m].path): \(describe(change))") }
            }
            warnDeviceSet(one.set)
            opened.append(one)
        }
        try destination.deliver(opened, writeOutside: writeOutside)
        var err = Output(fd: 2)
        if let summary = plan.chainSummary { err.write("\(summary)\n") }
        err.write("\(destination.dryRun ? "Would import" : "Imported") into Platform CA \(slot):\n")
        writeFacts(facts, indent: "  ", to: &err)
        for warning in plan.warnings { err.write("warning: \(warning)\n") }
        err.flush()
    }

    /// The command line's way past a refusal: the flag that imports anyway, or the command for a .pfx.
    static func advice(for refusal: CAImport.Refusal) -> String {
        switch refusal {
        case .notRoot(let root, confirmable: true):
            root.candidate.map { ", or pass --allow-non-root to import '\($0.displayName)' anyway" } ?? ""
        case .unreadable(let error) where error.isPKCS12:
            "; 'slcfg cert import-device --pfx FILE' imports a device certificate and its key from it"
        default: ""
        }
    }

    /// The root of the chain a server sends, as PEM: the self-signed certificate it sends, else
    /// its top certificate's issuer from this machine's trust store, else (with --allow-non-root)
    /// the top certificate itself, pinned. Says where the root came from.
    func fetchRoot(_ configurations: [String]) throws -> (bytes: [UInt8], source: String, pinned: Bool) {
        let document = try configurations.first.map { try LoadedFile.load($0, quiet: true).document }
        let value: @Sendable (String) -> String? = { name in document?.index(named: name).map { document!.value($0) } }
        let target: ServerTarget
        if let fromServer {
            do throws(ProbeError) { target = try ServerTarget.provisioning(fromServer) } catch {
                throw CLIError(message: error.description, code: 64)
            }
        } else {
            target = try radiusOptions.target(fromRadius!, option: "--from-radius", file: Dot1xLogin(value: value))
        }
        let chain: [CertificateFacts]
        do {
            chain = try fetchChain(target, timeout: timeout, fallback: false, value: value)
        } catch {
            throw CLIError(message: error.description, code: 2)
        }
        let store = TrustStore()
        guard let root = ServerRoot.of(chain, trustStore: store) else {
            throw CLIError(message: "\(target.url) sent no certificate", code: 2)
        }
        let origin = root.origin(url: target.url, store: store.source)
        switch root {
        case .sent(let facts), .trustStore(let facts):
            printError(origin)
            return (Array(PEM.encode(facts.der).utf8), target.url, false)
        case .missing(let top):
            guard allowNonRoot else {
                throw CLIError(message: origin + ", or pass --allow-non-root to pin '\(top.displayName)'", code: 1)
            }
            printError("Pinning '\(top.displayName)', the top of what \(target.url) sends (--allow-non-root).")
            return (Array(PEM.encode(top.der).utf8), target.url, true)
        }
    }
}

struct CertImportDevice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-device",
        abstract: "Put an EAP-TLS device certificate and its private key into device slot 1 or 2.")

    @Argument(help: "Configuration files.", completion: .file())
    var files: [String]

    @OptionGroup var slotOption: SlotOption

    @Option(help: "The device certificate (PEM or DER).", completion: .file())
    var cert: String?

    @Option(help: "Its private key (PEM: PKCS#1, PKCS#8 or SEC1), unencrypted.", completion: .file())
    var key: String?

    @Option(
        help: "A .pfx/.p12 file holding both (opened with the openssl command).",
        completion: .file(extensions: ["pfx", "p12"]))
    var pfx: String?

    @Option(
        help: "A file whose first line is the .pfx passphrase (else it is asked on the terminal).", completion: .file())
    var passphraseFile: String?

    @Option(
        name: .customLong("each"),
        help: ArgumentHelp(
            "Every handset of the directory (FILE): one .pfx/.p12, or PEM certificate and key, per handset in "
                + "CERTDIR, matched by the MAC in its name, its certificate, or --map.", valueName: "certdir"),
        completion: .directory)
    var each: String?

    @Option(
        name: .customLong("map"),
        help: ArgumentHelp("With --each: a CSV of mac,file[,passphrase_file] for files without a MAC.",
                           valueName: "csv"),
        completion: .file())
    var mapFile: String?

    @OptionGroup var inventoryOption: InventoryOption

    @OptionGroup var destination: OutputOptions

    func run() throws {
        if let each {
            try InventoryOption.checkDirectory(files, for: "--each")
            return try importEach(into: files[0], from: each)
        }
        if mapFile != nil || inventoryOption.inventory != nil {
            throw CLIError(message: "--map and --inventory go with --each CERTDIR", code: 64)
        }
        let credentials: DeviceCredentials
        do {
            if let pfx {
                guard cert == nil && key == nil else {
                    throw CLIError(message: "give either --pfx or --cert and --key", code: 64)
                }
                let passphrase = try readPassphrase(for: pfx)
                let input = try PKCS12.extract(pfx, passphrase: passphrase)
                guard let block = input.privateKeys.first else { throw CertificateError("\(pfx) holds no private key") }
                credentials = try DeviceCredentials(certificates: input.certificates, keyBlock: block, keyFile: pfx)
            } else {
                guard let cert, let key else {
                    throw CLIError(message: "give --cert CERTFILE and --key KEYFILE, or --pfx FILE", code: 64)
                }
                let certificateInput = try decodeCertificates(try readCertificateFile(cert), from: cert)
                let keyBytes = try readCertificateFile(key)
                let keyInput: CertificateInput
                do { keyInput = try CertificateInput(keyBytes) } catch {
                    throw CertificateError("\(key): \(error.description)")
                }
                credentials = try DeviceCredentials(certificate: certificateInput, key: keyInput, keyFile: key)
            }
        } catch let error as CertificateError {
            throw CLIError(message: error.description, code: 1)
        }
        let slot = slotOption.slot
        try destination.apply(to: files) { (document: inout CfgDocument) throws(AssignmentError) -> [Assignment] in
            try document.importDevice(credentials, slot: slot)
        }
        var err = Output(fd: 2)
        err.write(
            "\(destination.dryRun ? "Would import" : "Imported") into device certificate \(slot) (with its private "
                + "key):\n"
        )
        writeFacts(credentials.certificate, indent: "  ", to: &err)
        for warning in credentials.certificate.warnings() { err.write("warning: \(warning)\n") }
        err.flush()
    }

    func readPassphrase(for file: String) throws(CLIError) -> String {
        if let passphraseFile {
            let bytes: [UInt8]
            do { bytes = try FileStore.read(passphraseFile) } catch { throw CLIError(message: error.description) }
            let text = String(decoding: bytes, as: UTF8.self)
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "").trimmingCharacters(
                in: CharacterSet(charactersIn: "\r"))
        }
        guard isatty(0) != 0, let entered = getpass("Passphrase for \(file): ") else {
            throw CLIError(
                message: "\(file) needs its passphrase: run on a terminal to be asked, or pass --passphrase-file FILE",
                code: 64)
        }
        return String(cString: entered)
    }
}

/// One line for people about a change; long values (certificates) are summarised, keys never shown.
func describe(_ change: Assignment) -> String {
    func shown(_ value: String) -> String {
        if change.name.lowercased().hasSuffix(".privatekey") { return "(private key)" }
        if value.isEmpty { return "\"\"" }
        return value.count > 40 || value.contains("\n") ? "(\(value.count) characters)" : "\"\(value)\""
    }
    guard let old = change.oldValue else { return "\(change.name) = \(shown(change.newValue)) (inserted)" }
    if let rename = change.renameText { return "\(rename): \(shown(old)) -> \(shown(change.newValue))" }
    return "\(change.name): \(shown(old)) -> \(shown(change.newValue))"
}
