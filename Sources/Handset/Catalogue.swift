import Foundation

/// What values a parameter takes.
public enum ValueDomain: Sendable, Equatable {
    /// One of the listed values (compared ignoring case); `strict` lists are enforced by lint,
    /// the others are suggestions (values seen in the field, more may exist).
    case choices([String], strict: Bool)
    /// `0` or `1`.
    case boolean
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// A certificate (base64 of DER, or PEM).
    case certificate
    /// A private key (PEM).
    case privateKey
    /// A password or key: masked on screen and in diffs.
    case secret
    /// Free text.
    case text
}

/// One parameter the handset knows.
public struct ParameterInfo: Sendable, Equatable {
    /// The name as the handset's own files spell it.
    public var name: String
    /// The label the handset (or its web interface) shows.
    public var label: String
    /// The menu it belongs to.
    public var menu: String
    /// Its values.
    public var domain: ValueDomain
    /// Whether a `NAME.set` flag decides if the handset uses it (every `device.*` value).
    public var hasSetFlag: Bool
    /// The handset's default (what a value equal to it changes: nothing).
    public var defaultValue: String
    /// What the values mean, for people (`0 FTP, 1 TFTP, ...`), or empty.
    public var help: String
    /// Whether the label is slcfg's guess: the handset's own menus are not documented to show it.
    public var labelAssumed = false

    /// Whether the value must be masked.
    public var isSecret: Bool { domain == .secret || domain == .privateKey }
}

/// Every parameter name slcfg knows: the stock files' names, with the TLS and provisioning
/// parameters described in full. Lookup ignores case.
public struct Catalogue: Sendable {
    /// The catalogue of the 8400 handset.
    public static let shared = Catalogue()

    /// The curated entries (and their `.set` flags), by lower-cased name.
    let curated: [String: ParameterInfo]
    /// The stock names, searched in their generated text, each entry made when first asked for (most runs read a
    /// few hundred of the 7,800): nothing is built for them at start-up.
    let stock: StockEntries
    /// The known names with their digits as `#`: built on the first name not found directly
    /// (a file of stock names never needs it).
    var patterns: BuiltOnce<Set<String>>
    /// Known names by "components with one left out" (`device.sec.TLS.*.set`), for typo search:
    /// built on the first near-miss question (`get`, `set` and a clean file never ask one).
    /// With a firmware schema, the schema's names only: the firmware's own list is the truth.
    var holes: BuiltOnce<HoleIndex>
    /// Answers of ``nearMiss(for:)`` already found in this process.
    var nearMisses = NearMissCache()
    /// The firmware's own schema, when one was found beside the files or given (`--schema`): its names are never
    /// typos, near misses are suggested from them, and its types check values.
    public private(set) var schema: FirmwareSchema?
    /// The entries made from the schema's declarations, each the first time it is asked for (lint asks for every
    /// parameter of a file, twice).
    var schemaEntries = SchemaEntries()

    init() {
        var curated: [String: ParameterInfo] = [:]
        for info in Self.curated {
            curated[info.name.lowercased()] = info
            if info.hasSetFlag {
                let flag = info.name + ".set"
                curated[flag.lowercased()] = Self.generated(flag, stock: "0")
            }
        }
        self.curated = curated
        let stock = StockEntries(Self.stockNames)
        self.stock = stock
        let curatedNames = Array(curated.keys)
        patterns = BuiltOnce { Set((curatedNames + stock.lowercasedNames()).map(Self.pattern)) }
        holes = BuiltOnce { HoleIndex(curatedNames + stock.lowercasedNames()) }
    }

    /// This catalogue with a firmware schema beside it.
    public func with(schema: FirmwareSchema) -> Catalogue {
        var copy = self
        copy.schema = schema
        copy.holes = BuiltOnce { HoleIndex(schema.parameters.keys) }
        let own = patterns
        copy.patterns = BuiltOnce { own.value.union(schema.parameters.keys.map(Self.pattern)) }
        copy.nearMisses = NearMissCache()
        copy.schemaEntries = SchemaEntries()
        return copy
    }

    /// The parameter named `name`, ignoring case: curated, else as the schema declares it, else a stock name.
    public func info(for name: String) -> ParameterInfo? {
        let lower = name.lowercased()
        if let info = curated[lower] { return info }
        if let schema, let declared = schema.parameters[lower] {
            return schemaEntries.info(lower) { Self.info(declared, source: schema.source) }
        }
        return stock.index(of: lower).map(stock.info)
    }

    /// What the catalogue says of a parameter only the schema declares.
    static func info(_ declared: FirmwareSchema.Parameter, source: String) -> ParameterInfo {
        let domain: ValueDomain = switch declared.type {
        case .boolean?: .boolean
        case .integer(let range, _)?: .integer(range)
        case .enumeration(let values)?: .choices(values.filter { !$0.isEmpty }, strict: true)
        case .text?, nil: .text
        }
        let lower = declared.name.lowercased()
        return ParameterInfo(
            name: declared.name, label: declared.name.split(separator: ".").last.map(String.init) ?? declared.name,
            menu: "", domain: isSecretName(lower) ? .secret : domain,
            hasSetFlag: lower.hasPrefix("device.") && !lower.hasSuffix(".set"),
            defaultValue: declared.defaultValue ?? "",
            help: declared.documentation.isEmpty ? "" : "\(declared.documentation) (\(source))")
    }

    /// Whether `name` is known, directly or as another index of a known numbered name
    /// (`reg.35.label` like `reg.1.label`), or declared by the schema.
    public func isKnown(_ name: String) -> Bool {
        let lower = name.lowercased()
        return curated[lower] != nil || stock.index(of: lower) != nil || schema?.parameters[lower] != nil
            || patterns.value.contains(Self.pattern(lower))
    }

    /// The known name that an unknown `name` most likely misspells: the same dotted components but
    /// one, which is a word of four or more letters within an edit distance of 2 (nearest first).
    public func nearMiss(for name: String) -> String? {
        let lower = name.lowercased()
        if let known = nearMisses.answer(for: lower) { return known }
        let typedName = Array(lower.utf8)
        var best: (Int, String)?
        let holes = holes.value
        for hole in HoleIndex.holes(in: typedName[...]) {
            let typed = Array(typedName[hole])
            guard Self.wordy(typed) else { continue }
            for candidate in holes.candidates(typedName, leaving: hole) where candidate.name != lower {
                let known = Array(candidate.part)
                guard abs(typed.count - known.count) <= 2 else { continue }
                let distance = Self.distance(typed, known, limit: 2)
                guard distance <= 2, distance * 3 <= min(typed.count, known.count) else { continue }
                if best == nil || distance < best!.0 || (distance == best!.0 && candidate.name < best!.1) {
                    best = (distance, candidate.name)
                }
            }
        }
        let answer = best.flatMap { info(for: $0.1)?.name }
        nearMisses.record(answer, for: lower)
        return answer
    }

    /// A component that can hold a typo: four or more characters, not all digits.
    static func wordy<Bytes: Collection<UInt8>>(_ c: Bytes) -> Bool {
        c.count >= 4 && c.contains { !(48...57).contains($0) }
    }

    /// The name with every run of digits replaced by `#`.
    static func pattern(_ lower: String) -> String {
        var out = ""
        var inDigits = false
        var bytes: [UInt8] = []
        for c in lower.utf8 {
            if c >= 48 && c <= 57 {
                if !inDigits { bytes.append(UInt8(ascii: "#")) }
                inDigits = true
            } else {
                bytes.append(c)
                inDigits = false
            }
        }
        out = String(decoding: bytes, as: UTF8.self)
        return out
    }

    /// Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMinimum = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// An entry made from a stock name: a label from its last components, a menu from its first.
    static func generated(_ name: String, stock: String) -> ParameterInfo {
        let lower = name.lowercased()
        let parts = name.utf8.split(separator: UInt8(ascii: ".")).map { String(decoding: $0, as: UTF8.self) }
        let isFlag = lower.hasPrefix("device.") && lower.hasSuffix(".set")
        let domain: ValueDomain
        if isFlag || lower == Vocabulary.deviceSet {
            domain = .boolean
        } else if isSecretName(lower) {
            domain = .secret
        } else if (stock == "0" || stock == "1") && (lower.hasSuffix("enabled") || lower.hasSuffix("enable")) {
            domain = .boolean
        } else {
            domain = .text
        }
        return ParameterInfo(
            name: name, label: parts.count > 2 ? parts.dropFirst(2).joined(separator: ".") : name,
            menu: parts.prefix(2).joined(separator: "."), domain: domain,
            hasSetFlag: lower.hasPrefix("device.") && !isFlag && lower != Vocabulary.deviceSet,
            defaultValue: lower.hasPrefix("device.") ? "" : stock, help: "")
    }

    /// Whether the parameter spelled `name` holds a secret (masked on screen, in diffs and in `show`):
    /// what the catalogue says, else what its name says.
    /// A value as people read it: `3 (HTTPS)` for the provisioning server type, else the value.
    public func valueLabel(_ value: String, for name: String) -> String {
        guard name.lowercased() == "device.prov.servertype", let type = Self.serverTypeNames[value] else {
            return value
        }
        return "\(value) (\(type))"
    }

    /// The values to pick from for a parameter with a list of choices, in the form the file uses
    /// (the server type as numbers or as names), the current value first when it is not one of them.
    public func choices(for name: String, current: String) -> [String]? {
        var choices: [String]
        if case .enumeration(let values)? = schema?.parameter(name)?.type {
            choices = values.filter { !$0.isEmpty }
        } else {
            guard case .choices(let listed, _)? = info(for: name)?.domain else { return nil }
            choices = listed
        }
        if name.lowercased() == "device.prov.servertype" {
            let named = Int(current) == nil && !current.isEmpty
            choices = choices.filter { (Int($0) == nil) == named }
        }
        let listed = current.isEmpty || choices.contains { $0.caseInsensitiveCompare(current) == .orderedSame }
        return listed ? choices : [current] + choices
    }

    /// The provisioning protocols by their index.
    public static let serverTypeNames = ["0": "FTP", "1": "TFTP", "2": "HTTP", "3": "HTTPS", "4": "FTPS"]

    public func isSecret(_ name: String) -> Bool {
        info(for: name)?.isSecret ?? Self.isSecretName(name.lowercased())
    }

    /// Names whose values are secrets: passwords, PSK and WEP keys, private keys (UC Software's
    /// `customDeviceKey` too), encryption keys, the EAP-FAST PAC file; and a last component within
    /// two edits of a password's, passphrase's or private key's (`pasword`, `passwrd`), since a
    /// misspelled secret is still a secret.
    public static func isSecretName(_ lower: String) -> Bool {
        lower.hasSuffix("password") || lower.hasSuffix(".psk.key") || lower.hasSuffix(".privatekey")
            || lower.hasSuffix("configencryption.key") || lower.hasSuffix("passphrase") || lower.hasSuffix(".pin")
            || lower.hasSuffix("pacfile.data") || contains(lower, "devicekey")
            || (endsInDigit(lower) && !lower.hasSuffix("keylength") && isWEPKey(lower))
            || nearSecretWord(lastComponent(lower))
    }

    /// Whether `text` holds `word`, compared byte by byte (Foundation's substring search, which
    /// `String.contains` reaches here, cost most of the catalogue's start-up).
    static func contains(_ text: String, _ word: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            return (0...bytes.count - needle.count).contains { start in
                (0..<needle.count).allSatisfy { bytes[start + $0] == needle[$0] }
            }
        }
    }

    /// Whether the last character is a digit (an ASCII one read as a byte; any other as Unicode says).
    static func endsInDigit(_ lower: String) -> Bool {
        guard let byte = lower.utf8.last else { return false }
        return (48...57).contains(byte) || (byte >= 0x80 && lower.last?.isNumber == true)
    }

    /// The characters of the last dotted component of `lower` (empty ones count, as `split` had them
    /// omitted: the last non-empty one).
    static func lastComponent(_ lower: String) -> [Character] {
        guard let last = lower.utf8.split(separator: UInt8(ascii: ".")).last else { return [] }
        return Array(String(decoding: last, as: UTF8.self))
    }

    /// The last components a secret's name ends with, which a typo keeps secret.
    static let secretWords = ["password", "passphrase", "privatekey"].map { Array($0) }

    /// Whether `word` is within two edits of a secret word (and starts like it: a cheap filter for
    /// the names of a 33 MB file).
    static func nearSecretWord(_ word: [Character]) -> Bool {
        guard word.first == "p" else { return false }
        return secretWords.contains { abs($0.count - word.count) <= 2 && editDistance($0, word, limit: 2) <= 2 }
    }

    /// The Levenshtein distance of `a` and `b`, or `limit + 1` once it is known to exceed `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            if current.min()! > limit { return limit + 1 }
            previous = current
        }
        return previous[b.count]
    }

    /// Whether a component `wep` (not the first) is followed by one starting with `key`: the
    /// standard library's own split, where Foundation's substring search cost seconds on large files.
    static func isWEPKey(_ lower: String) -> Bool {
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        return parts.indices.dropFirst().contains { k in
            parts[k] == "wep" && k + 1 < parts.count && parts[k + 1].hasPrefix("key")
        }
    }
}


/// A process-wide memo of near-miss answers (the same unknown names recur across files), bounded:
/// a file of half a million distinct names would only fill it.
final class NearMissCache: @unchecked Sendable {
    private var answers: [String: String?] = [:]
    static let capacity = 50_000
    private let lock = NSLock()

    func answer(for name: String) -> String?? {
        lock.lock()
        defer { lock.unlock() }
        return answers[name]
    }

    func record(_ answer: String?, for name: String) {
        lock.lock()
        if answers.count < Self.capacity { answers[name] = .some(answer) }
        lock.unlock()
    }
}

/// A value built the first time it is asked for, once, whichever thread asks.
final class BuiltOnce<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var built: Value?
    private let build: @Sendable () -> Value

    init(_ build: @escaping @Sendable () -> Value) { self.build = build }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let made = build()
        built = made
        return made
    }
}

/// The known names by "the name with one component left out", over their bytes: a name's
/// candidates for a typo in component `j` are the names equal to it but for that component.
struct HoleIndex: Sendable {
    struct Candidate: Sendable {
        var name: String
        /// The component left out.
        var part: ArraySlice<UInt8>
    }

    /// Every name's bytes, one after another: one allocation for the 2,200 names.
    private var storage: [UInt8] = []
    /// Each name with one component left out: its key, the name's bytes and the hole's, in
    /// ``storage``; sorted by key, searched by halves.
    private var slots: [(key: UInt64, name: Range<Int32>, hole: Range<Int32>)] = []

    init<Names: Collection<String>>(_ names: Names) {
        storage.reserveCapacity(names.count * 32)
        slots.reserveCapacity(names.count * 3)
        for name in names {
            let start = storage.count
            storage += name.utf8
            let bytes = storage[start...]
            for hole in Self.holes(in: bytes) where Catalogue.wordy(bytes[hole]) {
                slots.append((Self.key(bytes, leaving: hole), Int32(start)..<Int32(storage.count),
                              Int32(hole.lowerBound)..<Int32(hole.upperBound)))
            }
        }
        slots.sort { $0.key < $1.key }
    }

    /// The known names equal to `name` but for the component at `hole` (whatever it holds there).
    func candidates(_ name: [UInt8], leaving hole: Range<Int>) -> [Candidate] {
        let key = Self.key(name[...], leaving: hole)
        var low = 0, high = slots.count
        while low < high {
            let middle = (low + high) / 2
            if slots[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return slots[low...].prefix { $0.key == key }.compactMap { slot in
            let known = storage[Int(slot.name.lowerBound)..<Int(slot.name.upperBound)]
            let gap = Int(slot.hole.lowerBound)..<Int(slot.hole.upperBound)
            guard known[..<gap.lowerBound].elementsEqual(name[..<hole.lowerBound]),
                  known[gap.upperBound...].elementsEqual(name[hole.upperBound...])
            else { return nil }
            return Candidate(name: String(decoding: known, as: UTF8.self), part: known[gap])
        }
    }

    /// The byte ranges of a dotted name's components (empty ones too).
    static func holes(in name: ArraySlice<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = name.startIndex
        for k in name.indices where name[k] == UInt8(ascii: ".") {
            ranges.append(start..<k)
            start = k + 1
        }
        ranges.append(start..<name.endIndex)
        return ranges
    }

    /// FNV-1a of the name's bytes before and after `hole`, apart.
    static func key(_ name: ArraySlice<UInt8>, leaving hole: Range<Int>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name[..<hole.lowerBound] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0x2A) &* 0x100_0000_01b3
        for byte in name[hole.upperBound...] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

/// The schema's entries, made the first time each is asked for.
final class SchemaEntries: @unchecked Sendable {
    private var made: [String: ParameterInfo] = [:]
    private let lock = NSLock()

    func info(_ lower: String, make: () -> ParameterInfo) -> ParameterInfo {
        lock.lock()
        defer { lock.unlock() }
        if let info = made[lower] { return info }
        let info = make()
        made[lower] = info
        return info
    }
}

/// The stock names: the generated `NAME\tVALUE` lines (sorted by lower-cased name), searched by halves over their
/// bytes; each entry made the first time it is asked for.
final class StockEntries: @unchecked Sendable {
    private let text: [UInt8]
    /// Each line's start, the end of its name (its tab) and its end.
    private let lines: [(start: Int32, nameEnd: Int32, end: Int32)]
    private var made: [ParameterInfo?]
    private let lock = NSLock()

    init(_ generated: String) {
        text = Array(generated.utf8)
        var lines: [(start: Int32, nameEnd: Int32, end: Int32)] = []
        lines.reserveCapacity(8_000)
        var start = 0
        while start < text.count {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.count
            let tab = text[start..<end].firstIndex(of: 0x09) ?? end
            if tab > start { lines.append((Int32(start), Int32(tab), Int32(end))) }
            start = end + 1
        }
        self.lines = lines
        made = Array(repeating: nil, count: lines.count)
    }

    var count: Int { lines.count }

    /// The name of stock entry `k` as the stock files spell it.
    func name(_ k: Int) -> String {
        String(decoding: text[Int(lines[k].start)..<Int(lines[k].nameEnd)], as: UTF8.self)
    }

    /// The stock entry named `lower` (a lower-cased name), if there is one.
    func index(of lower: String) -> Int? {
        var low = 0, high = lines.count
        let wanted = Array(lower.utf8)
        while low < high {
            let middle = (low + high) / 2
            switch compare(middle, wanted) {
            case .orderedSame: return middle
            case .orderedAscending: low = middle + 1
            case .orderedDescending: high = middle
            }
        }
        return nil
    }

    /// How the lower-cased name of entry `k` compares with `wanted`, byte by byte.
    private func compare(_ k: Int, _ wanted: [UInt8]) -> ComparisonResult {
        let name = text[Int(lines[k].start)..<Int(lines[k].nameEnd)]
        for (a, b) in zip(name, wanted) {
            let lower = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
            if lower != b { return lower < b ? .orderedAscending : .orderedDescending }
        }
        if name.count == wanted.count { return .orderedSame }
        return name.count < wanted.count ? .orderedAscending : .orderedDescending
    }

    /// Every stock name, lower-cased (for the indexes built on the first name not found directly).
    func lowercasedNames() -> [String] { (0..<lines.count).map { name($0).lowercased() } }

    func info(_ k: Int) -> ParameterInfo {
        lock.lock()
        defer { lock.unlock() }
        if let info = made[k] { return info }
        let line = lines[k]
        let value = line.nameEnd < line.end
            ? String(decoding: text[Int(line.nameEnd) + 1..<Int(line.end)], as: UTF8.self) : ""
        let info = Catalogue.generated(name(k), stock: value)
        made[k] = info
        return info
    }
}
