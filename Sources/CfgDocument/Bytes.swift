// Byte constants and classes used by the scanner and the edits.
enum ASCII {
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    static let bang = UInt8(ascii: "!"), question = UInt8(ascii: "?"), equals = UInt8(ascii: "=")
    static let dquote = UInt8(ascii: "\""), squote = UInt8(ascii: "'"), amp = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";"), hash = UInt8(ascii: "#"), percent = UInt8(ascii: "%")
    static let lbrace = UInt8(ascii: "{"), rbrace = UInt8(ascii: "}"), dollar = UInt8(ascii: "$")
    static let lbracket = UInt8(ascii: "["), rbracket = UInt8(ascii: "]"), dash = UInt8(ascii: "-")
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == space || c == lf || c == cr || c == tab
    }

    /// Bit c is clear for the bytes below 64 that end a name: whitespace, `"`, `'`, `/`, `<`, `=`, `>`.
    static let nameMaskLow: UInt64 = ~((1 << 9) | (1 << 10) | (1 << 13) | (1 << 32) | (1 << 34) | (1 << 39)
                                        | (1 << 47) | (1 << 60) | (1 << 61) | (1 << 62))

    /// A byte that may stand in a loosely scanned name: anything but whitespace and markup.
    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        c >= 64 || (nameMaskLow >> UInt64(c)) & 1 != 0
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 {
        (c >= 65 && c <= 90) ? c | 0x20 : c
    }
}
