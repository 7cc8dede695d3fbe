import Certificates
import CfgDocument
import Foundation

/// The handset's view of a file: every reason a setting would be ignored or misbehave.
public struct Linter: Sendable {
    /// The catalogue the rules consult.
    public var catalogue: Catalogue
    /// The date certificates are judged against.
    public var now: Date

    public init(catalogue: Catalogue = .shared, now: Date = Date()) {
        self.catalogue = catalogue
        self.now = now
    }

    /// A date as `YYYY-MM-DD`.
    public static func day(_ date: Date) -> String {
        String(CertificateFacts.iso8601(date).prefix(10))
    }

    /// Every finding for `document`, in file order.
    public func lint(_ document: CfgDocument) -> [Finding] {
        var run = LintRun(document: document, catalogue: catalogue, now: now)
        run.all()
        // In place (Swift's sort is stable: findings at one offset keep the rules' order).
        run.findings.sort { $0.offset < $1.offset }
        return run.findings
    }
}

/// One pass of the rules over one document.
struct LintRun {
    let document: CfgDocument
    let catalogue: Catalogue
    let now: Date
    var findings: [Finding] = []
    /// Which parameters share a name (any case), in document order.
    let table: NameTable
    /// How many parameters each `.set` flag's base has below it (`device.x` for `device.x.set`),
    /// keyed by the base's ``NameTable/hash(_:)``: no String for each of a large file's flags.
    let parents: [UInt64: Int32]

    init(document: CfgDocument, catalogue: Catalogue, now: Date) {
        self.document = document
        self.catalogue = catalogue
        self.now = now
        table = NameTable(document)
        // The bases of the .set flags, then how many names sit below each: linear, where asking
        // "does any name start with BASE." for every flag would be quadratic. Each name's prefixes
        // are hashed as its bytes go by.
        var parents: [UInt64: Int32] = [:]
        for i in 0..<document.parameterCount where Self.isFlag(document.nameBytes(i)) {
            parents[NameTable.hash(document.nameBytes(i).dropLast(4))] = 0
        }
        if !parents.isEmpty {
            for i in 0..<document.parameterCount {
                var h = NameTable.seed
                for c in document.nameBytes(i) {
                    if c == UInt8(ascii: "."), let count = parents[h] { parents[h] = count + 1 }
                    h = NameTable.mix(h, c)
                }
            }
        }
        self.parents = parents
    }

    /// Whether a name ends in `.set` (any case), looked at in its bytes.
    static func isFlag(_ name: ArraySlice<UInt8>) -> Bool {
        name.count > 4 && NameTable.sameName(name.suffix(4), ".set".utf8)
    }

    mutating func all() {
        xml()
        template()
        names()
        duplicates()
        setFlags()
        domains()
        certificates()
        profiles()
        security()
        controlCharacters()
        encoding()
        judgeFixes()
    }

    // MARK: - Helpers

    func offset(_ i: Int) -> Int { document.attributes[i].nameRange.lowerBound }

    /// Whether a parameter other than the flag `flag` is named `base.something` (the device
    /// certificate's `.publicCert` under `customDeviceCert1`): hashed lookups, not a scan.
    func hasChildren(_ base: String, other flag: String) -> Bool {
        Int(parents[NameTable.hash(base.utf8)] ?? 0) - table.count(of: flag) > 0
    }

    /// The first parameter named `name` (any case) and its value.
    func lookup(_ name: String) -> (index: Int, value: String)? {
        guard let i = table.first(of: name) else { return nil }
        return (i, document.value(i))
    }

    /// The value the handset uses for a device.* parameter: its value when applied, else its default.
    func effective(_ name: String) -> String? {
        EntryStatus.appliedValue(of: name) { lookup($0)?.value } ?? catalogue.info(for: name)?.defaultValue
    }

    mutating func add(
        _ rule: String, _ severity: Finding.Severity, at offset: Int, parameter: String?, _ message: String,
        fix: Fix? = nil, weakens: Weakening? = nil
    ) {
        findings.append(
            Finding(
                rule: rule, severity: severity, offset: offset, parameter: parameter, message: message, fix: fix,
                weakens: weakens))
    }

    // MARK: - Rules

    /// Malformed XML, from the model's diagnostics.
    mutating func xml() {
        for d in document.diagnostics {
            add("xml", d.severity == .error ? .error : .warning, at: d.offset, parameter: nil,
                "\(d.message); the handset may reject the whole file")
        }
    }

    /// A template, once per file: its kind and what was skipped (directives are not XML findings).
    mutating func template() {
        guard let survey = TemplateSurvey.of(document) else { return }
        add("template", .info, at: survey.offset, parameter: nil, survey.message)
    }

    /// Near-miss names (likely typos) and case variants of known names.
    mutating func names() {
        // Per name (lower-cased): whether the usual spelling is there too, looked at once.
        var usualSpellingThere: [String: Bool] = [:]
        for i in 0..<document.parameterCount {
            let written = document.name(i)
            let lower = written.lowercased()
            if let info = catalogue.info(for: lower) {
                if info.name != written && !info.name.isEmpty {
                    // Where the usual spelling is there too, a rename would make a duplicate.
                    let spelled = usualSpellingThere[lower] ?? table.indices(of: lower).contains {
                        document.nameBytes($0).elementsEqual(info.name.utf8)
                    }
                    usualSpellingThere[lower] = spelled
                    add("case-variant", .info, at: offset(i), parameter: written,
                        "\(written) is spelled \(info.name) in the handset's own files; the handset is expected to "
                            + "accept either, but the usual spelling avoids surprises",
                        fix: spelled ? nil : .rename(index: i, to: info.name))
                }
                continue
            }
            // Placeholders, and XML's own attributes (xmlns:xsi, xsi:noNamespaceSchemaLocation): never typos.
            if written.utf8.contains(where: {
                $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "#")
                    || $0 == UInt8(ascii: ":")
            }) || written == "xmlns"
                || catalogue.isKnown(lower)
            {
                continue
            }
            guard let suggestion = catalogue.nearMiss(for: written) else { continue }
            // The intended name's value is here already: renaming would make a duplicate.
            let exists = table.first(of: suggestion) != nil
            add("near-miss", .warning, at: offset(i), parameter: written,
                "\(written) is not a parameter the handset knows, so it is ignored; did you mean \(suggestion)?",
                fix: exists ? nil : .rename(index: i, to: suggestion))
        }
    }

    /// The same parameter more than once.
    mutating func duplicates() {
        for indices in table.repeated {
            let values = indices.map { document.value($0) }
            let same = Set(values).count == 1
            let paths = Set(indices.map { document.attributes[$0].node }).count
            let first = indices[0]
            add("duplicate", .warning, at: offset(indices[1]), parameter: document.name(indices[1]),
                "\(document.name(first)) appears \(indices.count) times\(paths > 1 ? " in different elements" : ""); "
                    + "which one the handset uses is undefined\(same ? " (all have the same value)" : ": keep one")",
                fix: same ? .remove(indices: Array(indices.dropFirst())) : nil)
        }
    }

    /// The `.set` rule: values without `.set="1"`, `device.set`, flags without their parameter.
    mutating func setFlags() {
        var firstApplied: Int?
        // The flags that a near-miss finding renames a parameter to.
        let misspelledFlags = Set(findings.compactMap(CfgDocument.renameTarget(of:)))
        for i in 0..<document.parameterCount where NameTable.sameName(document.nameBytes(i).prefix(7), "device.".utf8) {
            let lower = document.name(i).lowercased()
            if SetRule.flagged(by: lower) != nil {
                if orphanFlag(i, lower: lower) == "1" { firstApplied = firstApplied ?? i }
            } else if lower != Vocabulary.deviceSet, SetRule.partner(of: lower) != nil {
                valueFlag(i, lower: lower, misspelledFlags: misspelledFlags)
            }
        }
        let global = lookup(Vocabulary.deviceSet)
        if let firstApplied, global?.value != "1" {
            // Missing: the finding points at the first flag that asks for a value to be applied.
            add(
                "device-set", .warning, at: global.map { offset($0.index) } ?? offset(firstApplied),
                parameter: global.map { document.name($0.index) } ?? Vocabulary.deviceSet,
                "device.set is \(global.map { "\"\($0.value)\"" } ?? "missing"): the handset ignores every device.* "
                    + "parameter, even those whose .set is 1; set device.set=\"1\"",
                fix: .assign(name: global.map { document.name($0.index) } ?? Vocabulary.deviceSet, value: "1"))
        }
    }

    /// `orphan-set`: the `.set` flag at `i` with no parameter beside it. Returns the flag's value.
    mutating func orphanFlag(_ i: Int, lower: String) -> String {
        let value = document.value(i)
        guard catalogue.isKnown(lower), let base = SetRule.flagged(by: lower),
            table.first(of: base) == nil && !hasChildren(base, other: lower)
        else { return value }
        let written = document.name(i)
        add("orphan-set", value == "1" ? .warning : .info, at: offset(i), parameter: written,
            value == "1"
                ? "\(written) is 1 but there is no \(String(written.dropLast(4))) in the file: the handset "
                    + "applies an empty value"
                : "\(written) has no \(String(written.dropLast(4))) in the file: it does nothing")
        return value
    }

    /// `set-flag`: the value at `i` configures something, but its `.set` flag is not 1.
    mutating func valueFlag(_ i: Int, lower: String, misspelledFlags: Set<String>) {
        let value = document.value(i)
        // An empty value configures nothing (the stock files list every parameter empty).
        if value.isEmpty || LintRun.isPlaceholder(value) { return }
        guard value != catalogue.info(for: lower)?.defaultValue ?? "" else { return }
        let written = document.name(i)
        guard let flagName = SetRule.partner(of: written) else { return }
        let flag = table.first(of: flagName).map { document.value($0) }
        guard flag != "1" else { return }
        // A misspelled flag is the near-miss finding's to fix (a rename, not a second flag).
        if flag == nil && misspelledFlags.contains(flagName.lowercased()) { return }
        let what = catalogue.info(for: lower)?.domain == .certificate ? "the certificate in \(written)"
            : catalogue.isSecret(lower) ? "the value of \(written)"
            : "\(written)=\"\(Self.short(value))\""
        let because = "the handset ignores \(what) because \(flagName) is \(flag.map { "\"\($0)\"" } ?? "missing")"
        if unusable(i) {
            add("set-flag", .warning, at: offset(i), parameter: written,
                "\(because); correct the value, then set .set to 1")
        } else if let weakening = catalogue.weakening(of: written, value: value) {
            add("set-flag", .warning, at: offset(i), parameter: written,
                "\(because), which keeps it safe by accident: enabling it \(weakening.effect); "
                    + "\(weakening.remedy), or enable it deliberately if you mean it (fix leaves this to a person)",
                fix: .enable(name: written), weakens: weakening)
        } else {
            add("set-flag", .warning, at: offset(i), parameter: written, "\(because); set it to 1",
                fix: .enable(name: written))
        }
    }

    /// Values outside their domain (template placeholders are never reported).
    mutating func domains() {
        for i in 0..<document.parameterCount {
            if let problem = domainProblem(i) {
                add("value", .error, at: offset(i), parameter: document.name(i), problem)
            }
        }
    }

    /// Why the value of parameter `i` is outside its domain, or nil.
    func domainProblem(_ i: Int) -> String? {
        guard let info = catalogue.info(for: document.name(i)) else { return nil }
        let value = document.value(i)
        if value.isEmpty || LintRun.isPlaceholder(value) { return nil }
        let written = document.name(i)
        if let schema = catalogue.schema, schema.parameter(written)?.type != nil {
            return schema.problem(value, for: written)
        }
        switch info.domain {
        case .boolean where value != "0" && value != "1":
            return "\(written)=\"\(Self.short(value))\" is not 0 or 1: the handset ignores it"
        case .choices(let choices, strict: true)
        where !choices.contains(where: { $0.caseInsensitiveCompare(value) == .orderedSame }):
            return
                "\(written)=\"\(Self.short(value))\" is not a value the handset accepts "
                    + "(\(info.help.isEmpty ? choices.joined(separator: ", ") : info.help))"
        case .integer(let range) where Int(value).map({ !range.contains($0) }) ?? true:
            return
                "\(written)=\"\(Self.short(value))\" is not a whole number from \(range.lowerBound) to "
                    + "\(range.upperBound)"
        default:
            return nil
        }
    }

    /// Whether turning parameter `i` on would apply a value the handset cannot use.
    func unusable(_ i: Int) -> Bool {
        if domainProblem(i) != nil { return true }
        if catalogue.info(for: document.name(i))?.domain == .certificate {
            return (try? CertificateInput(document.valueBytes(i), now: now)) == nil
        }
        return false
    }

    /// What the certificate slots hold.
    mutating func certificates() {
        var found: [String: [Int]] = [:]
        for name in CertificateSlot.all.flatMap({ [$0.parameter, $0.setFlag] }) {
            if let i = table.first(of: name) { found[name] = [i] }
        }
        var held: [(slot: CertificateSlot, facts: CertificateFacts)] = []
        for slot in CertificateSlot.all {
            let contents = document.rawContents(of: slot, now: now, found: found)
            guard let name = contents.parameter, let i = table.first(of: name) else { continue }
            let at = offset(i)
            if case .ca(let n) = slot, contents.setValue == "1",
                document.valueBytes(i).allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 })
            {
                add("slot-empty-set", .warning, at: at, parameter: name,
                    "\(slot) is empty but its .set is 1: pushing this file removes the CA certificate the handsets "
                        + "hold in Platform CA \(n); set \(slot.setFlag) to 0 to leave it alone, or import a CA")
            }
            if let facts = contents.facts, case .ca = slot {
                if let twin = held.first(where: { $0.facts.sha256 == facts.sha256 }) {
                    add("cert-duplicate", .warning, at: at, parameter: name,
                        "\(twin.slot) and \(slot) hold the same certificate ('\(facts.displayName)'): one slot is "
                            + "wasted; was the other CA replaced by a paste?")
                }
                held.append((slot, facts))
            }
            if let problem = contents.problem {
                add(
                    "cert-invalid", .error, at: at, parameter: name,
                    "\(slot) (\(name)) does not hold a usable certificate: \(problem)")
                continue
            }
            guard let facts = contents.facts else { continue }
            if case .ca = slot, !facts.isTrustAnchor {
                add(
                    "cert-not-root", .warning, at: at, parameter: name,
                    "\(slot) holds '\(facts.displayName)', which is not a root CA (issued by "
                        + "'\(facts.issuerDisplayName)'): the handset validates the server's chain up to a root it "
                        + "holds, so this may not be enough; import the root CA"
                )
            }
            // The certificate's own concerns, worded once in Certificates.
            for concern in facts.concerns(now: now) {
                let (rule, severity) = Self.lintRule(for: concern.kind)
                var message = concern.message
                if concern.kind == .expired, slot.keyParameter != nil {
                    message = "'\(facts.displayName)' expired on \(Linter.day(facts.notAfter)): the RADIUS server "
                        + "refuses a handset that presents it"
                }
                add(rule, severity, at: at, parameter: name, "\(slot): \(message)")
            }
            if slot.keyParameter != nil { deviceKey(of: slot, certificate: facts, at: at) }
        }
    }

    /// `device-key`: a device certificate whose private key is missing, unusable or another's.
    /// The key is a secret: only what is wrong with it is said.
    mutating func deviceKey(of slot: CertificateSlot, certificate: CertificateFacts, at certificateOffset: Int) {
        guard let keyName = slot.keyParameter else { return }
        let keyIndex = table.first(of: keyName)
        let raw = keyIndex.map { document.valueBytes($0) } ?? []
        guard raw.contains(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) else {
            add("device-key", .error, at: certificateOffset, parameter: slot.parameter,
                "\(slot) holds '\(certificate.displayName)' but no private key (\(keyName)): the handset cannot "
                    + "present a certificate without its key")
            return
        }
        let problem: CertificateError
        do throws(CertificateError) {
            let key = try CertificateInput(raw, now: now)
            guard let block = key.privateKeys.first else {
                throw CertificateError("it holds no private key ('-----BEGIN PRIVATE KEY-----')")
            }
            guard let mismatch = DeviceCredentials.mismatch(of: block, with: certificate) else { return }
            problem = mismatch
        } catch {
            problem = error
        }
        add("device-key", .error, at: offset(keyIndex!), parameter: keyName, "\(slot)'s private key: \(problem)")
    }

    /// "names no platform CA", or "Platform CA 1/2 is empty or not applied".
    static func describeSlots(_ slots: [Int]) -> String {
        guard !slots.isEmpty else { return "names no platform CA" }
        return "Platform CA \(slots.map(String.init).joined(separator: "/")) is empty or not applied"
    }

    /// The lint rule that reports a certificate concern of `kind`, and its severity.
    static func lintRule(for kind: CertificateConcern.Kind) -> (String, Finding.Severity) {
        switch kind {
        case .expired: ("cert-expired", .error)
        case .notYetValid: ("cert-not-yet-valid", .warning)
        case .expiring: ("cert-expiring", .warning)
        case .weakKey: ("cert-weak-key", .warning)
        case .weakSignature: ("cert-weak-signature", .warning)
        case .unverifiableSelfSignature: ("cert-unverifiable", .warning)
        }
    }

    /// Profiles selected for 802.1X and provisioning: can they trust anything?
    mutating func profiles() {
        for app in Vocabulary.handset.applications where app != .syslog {
            let key = app.selectionKey
            let application = key == "provisioning" ? "provisioning" : app.label
            let selection = app.profileSelection
            guard let chosen = effective(selection), let n = Int(chosen.suffix(1)),
                chosen.lowercased().hasPrefix("platformprofile"),
                Vocabulary.handset.profiles.contains(n)
            else { continue }
            let list = effective(Vocabulary.caCertList(n)) ?? "All"
            if LintRun.isPlaceholder(list) { continue }
            let parsed = CAList(list)
            let builtin = parsed.builtin
            let slots = parsed.slots.sorted()
            let filled = slots.filter { slotApplied($0) }
            let at = lookup(selection).map { offset($0.index) } ?? 0
            if !builtin && filled.isEmpty {
                add(
                    "profile-no-ca", .warning, at: at,
                    parameter: lookup(selection).map { document.name($0.index) } ?? selection,
                    "\(application) uses Platform Profile \(n), whose CA list (\"\(list)\") leaves out the built-in "
                        + "CAs, and \(Self.describeSlots(slots)): the handset cannot validate the server; "
                        + "import the CA with 'slcfg cert import FILE --slot \(slots.first ?? n)'"
                )
            }
            if key == "provisioning", let type = effective("device.prov.serverType")?.uppercased(),
                ["3", "4", "HTTPS", "FTPS"].contains(type), filled.isEmpty
            {
                let typeName = type == "3" ? "HTTPS" : type == "4" ? "FTPS" : type
                add(
                    "prov-no-custom-ca", .info, at: lookup("device.prov.serverType").map { offset($0.index) } ?? at,
                    parameter: lookup("device.prov.serverType").map { document.name($0.index) }
                        ?? "device.prov.serverType",
                    "provisioning uses \(typeName) with no custom CA in Platform Profile \(n): only well-known CAs "
                        + "will be trusted; a server with a private CA needs 'slcfg cert import FILE --slot \(n) --for "
                        + "provisioning'"
                )
            }
        }
    }

    /// Whether CA slot `n` holds a certificate the handset uses.
    func slotApplied(_ n: Int) -> Bool {
        let contents = document.contents(of: .ca(n), now: now)
        return contents.facts != nil && contents.status.isApplied
    }

    /// The factory login and weakened validation.
    mutating func security() {
        for name in ["device.prov.user", "device.prov.password"] {
            if let (i, value) = lookup(name), value == "PlcmSpIp" {
                add(
                    "default-login", .warning, at: offset(i), parameter: document.name(i),
                    "\(document.name(i)) is the factory default (PlcmSpIp): anyone who knows it can read the "
                        + "provisioning server; change the login on the server and here"
                )
            }
        }
        for app in Vocabulary.handset.applications {
            let name = app.commonNameValidation
            if let (i, value) = lookup(name), value == "0" {
                add(
                    "cn-validation-off", .info, at: offset(i), parameter: document.name(i),
                    "\(document.name(i)) is 0: the handset accepts a server certificate issued to any name, which is "
                        + "less secure"
                )
            }
        }
    }

    static func short(_ value: String) -> String {
        value.count > 40 ? String(value.prefix(37)) + "..." : value
    }

    static func isPlaceholder(_ value: String) -> Bool {
        CfgDocument.isTemplatePlaceholder(value)
    }
}
