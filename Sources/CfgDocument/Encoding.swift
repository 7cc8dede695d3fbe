/// The encoding a document declares (`<?xml … encoding="ISO-8859-1"?>`): how its value bytes are read as text and
/// how edited text is written back.
public enum DeclaredEncoding: Sendable, Equatable {
    /// UTF-8, declared or by default.
    case utf8
    /// ISO-8859-1 (Latin-1): each byte is the code point of the same number.
    case latin1
    /// Windows-1252: Latin-1 but for 0x80–0x9F, which hold typographic characters (five are undefined).
    case windows1252
    /// UTF-16 with a byte-order mark: the document holds the text as UTF-8 and writes it back as UTF-16
    /// (``CfgDocument/fileBytes``), which gives back every byte of a well-formed file.
    case utf16(bigEndian: Bool)
    /// An encoding slcfg does not read: values are shown as their bytes and edits are refused.
    case unsupported(String)

    /// The encoding declared at the start of `bytes` (after a byte-order mark), UTF-8 when none is.
    /// A UTF-16 byte-order mark says UTF-16, whatever the declaration.
    public init(declaredIn bytes: [UInt8]) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            self = .utf16(bigEndian: bytes[0] == 0xFE)
            return
        }
        guard let name = Self.declaredName(bytes) else { self = .utf8; return }
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1": self = .latin1
        case "windows-1252", "cp1252", "x-cp1252": self = .windows1252
        default: self = .unsupported(name)
        }
    }

    /// The `encoding="…"` of the XML declaration at the start (after a UTF-8 byte-order mark), if any.
    public static func declaredName(_ bytes: [UInt8]) -> String? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes[start...].starts(with: "<?xml".utf8) else { return nil }
        let head = bytes[start..<min(bytes.count, start + 200)]
        guard let end = Self.find(Array("?>".utf8), in: head),
              let key = Self.find(Array("encoding".utf8), in: head[..<end]).map({ $0 + 8 })
        else { return nil }
        let rest = head[key..<end].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "=") }
        guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        return String(decoding: rest.dropFirst().prefix { $0 != quote }, as: UTF8.self)
    }

    /// Where `needle` first starts in `bytes`.
    static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in bytes.startIndex...(bytes.endIndex - needle.count)
        where bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }

    /// What the file calls the encoding, for messages.
    public var name: String {
        switch self {
        case .utf8: "UTF-8"
        case .latin1: "ISO-8859-1"
        case .windows1252: "Windows-1252"
        case .utf16(let bigEndian): bigEndian ? "UTF-16BE" : "UTF-16LE"
        case .unsupported(let name): name
        }
    }

    /// Windows-1252's 0x80–0x9F as code points (0: undefined).
    static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// The code point byte `byte` stands for, or nil when the encoding leaves it undefined.
    public func scalar(of byte: UInt8) -> UInt32? {
        guard byte >= 0x80 else { return UInt32(byte) }
        switch self {
        case .latin1: return UInt32(byte)
        case .windows1252:
            guard byte < 0xA0 else { return UInt32(byte) }
            let scalar = Self.windows1252High[Int(byte - 0x80)]
            return scalar == 0 ? nil : scalar
        case .utf8, .utf16, .unsupported: return nil
        }
    }

    /// Raw bytes of this encoding as UTF-8 (an undefined byte becomes U+FFFD); UTF-8, UTF-16 (held as UTF-8) and
    /// unsupported: as they are.
    public func utf8<C: Collection>(_ raw: C) -> [UInt8] where C.Element == UInt8 {
        guard isSingleByte, raw.contains(where: { $0 >= 0x80 }) else { return Array(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + 8)
        for byte in raw {
            let scalar = Unicode.Scalar(scalar(of: byte) ?? 0xFFFD) ?? "\u{FFFD}"
            out.append(contentsOf: Unicode.UTF8.encode(scalar)!)
        }
        return out
    }

    /// UTF-8 text in this encoding; a character it cannot hold becomes a character reference (`&#8364;`).
    public func encode(_ text: [UInt8]) -> [UInt8] {
        guard isSingleByte, text.contains(where: { $0 >= 0x80 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            if let byte = byte(for: scalar.value) {
                out.append(byte)
            } else {
                out.append(contentsOf: "&#\(scalar.value);".utf8)
            }
        }
        return out
    }

    /// The byte that stands for `scalar` in this single-byte encoding, if one does.
    func byte(for scalar: UInt32) -> UInt8? {
        if scalar < 0x80 { return UInt8(scalar) }
        switch self {
        case .latin1: return scalar <= 0xFF ? UInt8(scalar) : nil
        case .windows1252:
            if scalar >= 0xA0 && scalar <= 0xFF { return UInt8(scalar) }
            return Self.windows1252High.firstIndex(of: scalar).map { UInt8(0x80 + $0) }
        case .utf8, .utf16, .unsupported: return nil
        }
    }

    /// Whether each byte is one character (Latin-1, Windows-1252).
    public var isSingleByte: Bool { self == .latin1 || self == .windows1252 }

    /// Whether slcfg can write text into a file of this encoding.
    public var isSupported: Bool {
        if case .unsupported = self { return false }
        return true
    }
}

extension DeclaredEncoding {
    /// The UTF-8 text of a UTF-16 file (`file`, byte-order mark first), or nil when the file is not well-formed
    /// UTF-16 (an odd length, a lone surrogate): then writing the text back would not give back its bytes.
    static func utf8(ofUTF16 file: [UInt8], bigEndian: Bool) -> [UInt8]? {
        guard file.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(file.count / 2)
        for k in stride(from: 0, to: file.count, by: 2) {
            let (high, low) = bigEndian ? (file[k], file[k + 1]) : (file[k + 1], file[k])
            units.append(UInt16(high) << 8 | UInt16(low))
        }
        var text: [UInt8] = []
        text.reserveCapacity(file.count)
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.append(contentsOf: UTF8.encode(scalar)!)
            case .emptyInput: return text
            case .error: return nil
            }
        }
    }

    /// A file's bytes as UTF-8 text, for a diff or a count of lines: a single-byte encoding or well-formed UTF-16
    /// decoded, anything else as it is.
    public static func text(ofFile bytes: [UInt8]) -> [UInt8] {
        let encoding = DeclaredEncoding(declaredIn: bytes)
        guard case .utf16(let bigEndian) = encoding else { return encoding.utf8(bytes) }
        return utf8(ofUTF16: bytes, bigEndian: bigEndian) ?? bytes
    }

    /// `text` (UTF-8) as this encoding writes it: UTF-16 in its byte order; every other encoding as it is (its
    /// edits are already written in it).
    public func fileBytes(_ text: [UInt8]) -> [UInt8] {
        guard case .utf16(let bigEndian) = self else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 2)
        for unit in String(decoding: text, as: UTF8.self).utf16 {
            let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
            out.append(contentsOf: bigEndian ? [high, low] : [low, high])
        }
        return out
    }
}
