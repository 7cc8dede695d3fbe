// `slcfg cert import-device DIR --slot N --each CERTDIR`: a device certificate and key for every
// handset, read from a directory of PFX or PEM files, each stored where its handset applies it.
#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Certificates
import CfgDocument
import Files
import Foundation
import Handset

/// The certificates' directory, read: one credential a PFX/P12 file, or a certificate and its
/// key under one name (`X.pem` or `X.crt` beside `X.key`, or both in one PEM).
struct CertificateDirectory {
    static let certificateExtensions: Set<String> = ["pem", "crt", "cer", "der", "key"]
    static let bundleExtensions: Set<String> = ["pfx", "p12"]

    var found: [FoundCredentials] = []
    /// Files that could not be read as credentials, with why.
    var unreadable: [(file: String, reason: String)] = []

    /// Reads `directory`; `passphrase(name)` is the passphrase of a PFX/P12 (nil: none given).
    init(_ directory: String, passphrase: (String) -> String?) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
        let base = FileStore.realPath(directory).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        var groups: [String: [String]] = [:]
        for name in names {
            let path = ProvisioningSet.join(directory, name)
            if let base, let real = FileStore.realPath(path), !real.hasPrefix(base) {
                unreadable.append((path, "a link to \(real), outside \(directory): not read"))
                continue
            }
            let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last!.lowercased() : ""
            if Self.bundleExtensions.contains(ext) {
                read(bundle: path, passphrase: passphrase(name))
            } else if Self.certificateExtensions.contains(ext) {
                groups[String(name.dropLast(ext.count + 1)), default: []].append(path)
            } else {
                unreadable.append((path, "not a certificate or key file (.pfx, .p12, .pem, .crt, .cer, .der, .key)"))
            }
        }
        for (_, paths) in groups.sorted(by: { $0.key < $1.key }) { read(pair: paths) }
    }

    mutating func read(bundle path: String, passphrase: String?) {
        guard let passphrase else {
            unreadable.append((path, "needs its passphrase: --passphrase-file F, or a passphrase_file column in --map"))
            return
        }
        do {
            let input = try PKCS12.extract(path, passphrase: passphrase)
            guard let block = input.privateKeys.first else { throw CertificateError("holds no private key") }
            found.append(FoundCredentials(
                file: path, credentials: try DeviceCredentials(certificates: input.certificates, keyBlock: block,
                                                               keyFile: path)))
        } catch {
            unreadable.append((path, "\(error)"))
        }
    }

    /// A certificate and its key from the files of one name.
    mutating func read(pair paths: [String]) {
        var certificates: [CertificateFacts] = []
        var keys: [PEMBlock] = []
        for path in paths {
            do {
                let input = try CertificateInput(try FileStore.read(path))
                certificates += input.certificates
                keys += input.privateKeys
            } catch {
                unreadable.append((path, "\(error)"))
                return
            }
        }
        let shown = paths.first { !$0.lowercased().hasSuffix(".key") } ?? paths[0]
        guard let key = keys.first else {
            unreadable.append((shown, "no private key beside it (a .key file of the same name, or in the same PEM)"))
            return
        }
        do {
            found.append(FoundCredentials(
                file: shown, credentials: try DeviceCredentials(certificates: certificates, keyBlock: key,
                                                                keyFile: shown)))
        } catch {
            unreadable.append((shown, error.description))
        }
    }
}

/// `--map CSV`: columns `mac` and `file`, optionally `passphrase_file` (relative to the map).
struct CredentialMap {
    var macs: [String: String] = [:]
    var passphraseFiles: [String: String] = [:]

    init(_ path: String) throws(CLIError) {
        let bytes: [UInt8]
        do { bytes = try FileStore.read(path) } catch { throw CLIError(message: error.description, code: 2) }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .filter { !$0.1.isEmpty && !$0.1.hasPrefix("#") }
        let header = (lines.first?.1 ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let macColumn = header.firstIndex(of: "mac"), let fileColumn = header.firstIndex(of: "file") else {
            throw CLIError(message: "\(path):1: --map needs the columns mac and file (and may have passphrase_file)",
                           code: 64)
        }
        let passColumn = header.firstIndex(of: "passphrase_file")
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path + "/"
        for (number, line) in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            func field(_ k: Int?) -> String { k.map { $0 < fields.count ? fields[$0] : "" } ?? "" }
            guard let mac = ProvisioningSet.macAddress(field(macColumn)) else {
                throw CLIError(message: "\(path):\(number): '\(field(macColumn))' is not a MAC address", code: 64)
            }
            let file = field(fileColumn)
            guard !file.isEmpty, !file.contains("/") else {
                throw CLIError(
                    message: "\(path):\(number): '\(file)' is not a file name in the certificates' directory", code: 64)
            }
            macs[file] = mac
            if !field(passColumn).isEmpty { passphraseFiles[file] = base + field(passColumn) }
        }
    }
}

extension CertImportDevice {
    /// Imports a certificate for every handset of `directory` from `certificates`, then writes
    /// every changed file (or prints one diff for the whole run). Exit 1 when a handset got none.
    func importEach(into directory: String, from certificates: String) throws {
        guard cert == nil, key == nil, pfx == nil, destination.output == nil else {
            throw CLIError(message: "--each takes the certificates from its directory: no --cert, --key, --pfx or -o",
                           code: 64)
        }
        let handsets = try inventoryOption.handsets(of: directory)
        let map = try mapFile.map { path throws(CLIError) in try CredentialMap(path) } ?? CredentialMap.none
        let common = passphraseFile == nil ? nil : try readPassphrase(for: certificates)
        let found = CertificateDirectory(certificates) { name in
            map.passphraseFiles[name].flatMap { try? Self.firstLine(of: $0) } ?? common
        }
        let match = Fleet.match(found.found, handsets: handsets, map: map.macs)
        let disk = DiskReads()
        let reads = disk.files
        let shared = FleetFiles(read: { reads.document($0)?.bytes }, realPath: FileStore.realPath)
        var fleet = FleetDeviceImport(directory: directory, model: nil, disk: shared.files)
        var refused = match.refused
        var imported = 0
        for (mac, item) in match.byHandset.sorted(by: { $0.key < $1.key }) {
            do {
                let log = try fleet.importDevice(item.credentials, slot: slotOption.slot, mac: mac)
                imported += 1
                let into = log.first { $0.changes.contains { $0.name.lowercased().hasSuffix(".publiccert") } }
                printError("\(mac): '\(item.credentials.certificate.displayName)' from \(item.file)"
                    + (into.map { " into \($0.file)" } ?? ": already stored"))
            } catch {
                refused.append((mac, error.description))
            }
        }
        report(match: match, refused: refused, unreadable: found.unreadable, imported: imported, of: handsets.count)
        try write(fleet, disk: disk, master: ProvisioningSet.join(directory, "000000000000.cfg"))
        if !refused.isEmpty || !found.unreadable.isEmpty || !match.unmatched.isEmpty { throw ExitCode(1) }
    }

    /// What was left out, and the count.
    func report(match: CredentialMatch, refused: [(mac: String, reason: String)],
                unreadable: [(file: String, reason: String)], imported: Int, of total: Int) {
        for (mac, message) in match.warnings { printError("\(mac): warning: \(message)") }
        for (mac, reason) in refused.sorted(by: { $0.mac < $1.mac }) { printError("\(mac): not imported: \(reason)") }
        for (file, reason) in (unreadable + match.unmatched).sorted(by: { $0.file < $1.file }) {
            printError("\(file): matched no handset: \(reason)")
        }
        let left = unreadable.count + match.unmatched.count
        printError("\(total) handsets: \(imported) with a certificate, \(refused.count) without; "
            + "\(left) file\(left == 1 ? "" : "s") matched no handset")
    }

    /// Every changed and new file: one diff for the whole run, or each written atomically (new
    /// files with the master's mode), saying what was and was not written when a write fails.
    func write(_ fleet: FleetDeviceImport, disk: DiskReads, master: String) throws(CLIError) {
        let target = destination.destination
        let mode = (try? FileManager.default.attributesOfItem(atPath: master)[.posixPermissions] as? Int)
            .map { mode_t($0) }
        var out = Output(fd: 1, kind: .data)
        var written: [String] = []
        let paths = fleet.edited.keys.sorted()
        for path in paths {
            let old = fleet.created.contains(path) ? [] : (try? FileStore.read(path)) ?? []
            let new = fleet.edited[path]!.fileBytes
            guard old != new else { continue }
            do {
                let lock = target.dryRun ? nil : try lockForUpdate(path)
                defer { withExtendedLifetime(lock) {} }
                try target.deliver(path: path, old: old, new: new, read: disk.snapshots[path]?.identity,
                                   modeIfNew: mode, stdout: &out)
                written.append(path)
            } catch {
                out.flush()
                let left = paths.filter { !written.contains($0) }
                throw CLIError(message: "\(error.message); written: "
                    + "\(written.isEmpty ? "none" : written.joined(separator: ", ")); not written: "
                    + left.joined(separator: ", "))
            }
        }
        out.flush()
    }

    static func firstLine(of path: String) throws -> String {
        let text = String(decoding: try FileStore.read(path), as: UTF8.self)
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }
}

extension CredentialMap {
    static let none = CredentialMap()
    private init() {}
}
