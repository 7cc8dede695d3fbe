// --schema FILE, else a polycomConfig.xsd beside the files: the catalogue a command checks names and values with.
import ArgumentParser
import Foundation
import Files
import Handset

struct SchemaOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The firmware's parameter schema (polycomConfig.xsd): its names, types, defaults and documentation. "
                + "Without it, a polycomConfig.xsd (or Config/polycomConfig.xsd) beside the files is used.",
            valueName: "file"),
        completion: .file(extensions: ["xsd"]))
    var schema: String?

    /// The catalogue for the files of `path` (a file or a directory): with the schema given, else with one found
    /// in their directory, else the built-in one. A schema that cannot be used is reported in one line, once.
    func catalogue(for path: String) throws(CLIError) -> Catalogue {
        if let schema {
            if let known = SchemaCache.shared.known(schema) { return known }
            guard let bytes = try? FileStore.read(schema) else {
                throw CLIError(message: "--schema \(schema): cannot read the file", code: 2)
            }
            return SchemaCache.shared.catalogue(path: schema, bytes: bytes)
        }
        guard path != "-" else { return .shared }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let directory = exists && isDirectory.boolValue ? path : Self.directory(of: path)
        for name in FirmwareSchema.fileNames {
            let candidate = directory == "." ? name : directory + "/" + name
            // Many files beside one schema: it is looked at, read and parsed once.
            if let known = SchemaCache.shared.known(candidate) { return known }
            guard Self.isInside(candidate, directory), let size = FileStore.size(of: candidate) else { continue }
            // Files beside the configuration are written by others: a schema is a few MB, never hundreds.
            guard size <= Self.largestSchema else {
                SchemaCache.shared.refuse(candidate, "\(size / 1_048_576) MB is too large for a firmware schema")
                return .shared
            }
            guard let bytes = try? FileStore.read(candidate) else { continue }
            return SchemaCache.shared.catalogue(path: candidate, bytes: bytes)
        }
        return .shared
    }

    /// The largest schema read (the 4.0 firmware's is 3.6 MB).
    static let largestSchema = 64 << 20

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether `path` really is inside `directory` (not a link leading out of it): a schema found beside the
    /// files is read only from where they are.
    static func isInside(_ path: String, _ directory: String) -> Bool {
        guard let real = FileStore.realPath(path), let base = FileStore.realPath(directory) else { return false }
        return real.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }
}

/// Schemas read in this process, by path: lint of many files beside one schema reads and parses it once, and
/// reports a schema it cannot use once.
final class SchemaCache: @unchecked Sendable {
    static let shared = SchemaCache()
    private var catalogues: [String: Catalogue] = [:]
    private let lock = NSLock()

    /// The catalogue already made for the schema at `path`, if this process has read it.
    func known(_ path: String) -> Catalogue? {
        lock.lock()
        defer { lock.unlock() }
        return catalogues[path]
    }

    func catalogue(path: String, bytes: [UInt8]) -> Catalogue {
        lock.lock()
        defer { lock.unlock() }
        if let known = catalogues[path] { return known }
        let catalogue: Catalogue
        do throws(SchemaError) {
            let source = path.split(separator: "/").last.map(String.init) ?? path
            catalogue = Catalogue.shared.with(schema: try FirmwareSchema(bytes: bytes, source: source))
        } catch {
            printError("slcfg: warning: \(error.message(path: path))")
            catalogue = .shared
        }
        catalogues[path] = catalogue
        return catalogue
    }

    /// Says once that the schema at `path` is not used, and why.
    func refuse(_ path: String, _ reason: String) {
        lock.lock()
        defer { lock.unlock() }
        guard catalogues[path] == nil else { return }
        printError("slcfg: warning: \(SchemaError(reason: reason).message(path: path))")
        catalogues[path] = .shared
    }
}
