import SafeText
/// What a cell means; a theme turns roles into colours and attributes.
public enum Role: String, CaseIterable, Sendable {
    case title, breadcrumb, row, selected, modified, setOn, setOff, warning, error, info
    case diffAdded, diffRemoved, diffHunk, status, secret, details, heading, dim, prompt
}

/// One terminal cell: a grapheme (empty for the right half of a wide one) and its role.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: Role

    public init(_ text: String, _ role: Role) {
        self.text = text
        self.role = role
    }
}

/// A screenful of cells, drawn from the state; the terminal shows it, tests compare it as text.
public struct Frame: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public var cells: [Cell]
    /// Where the terminal cursor goes (a line being edited), or nil to hide it.
    public var cursor: (row: Int, column: Int)?

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: Cell(" ", .row), count: max(0, width * height))
    }

    public static func == (a: Frame, b: Frame) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor?.row == b.cursor?.row
            && a.cursor?.column == b.cursor?.column
    }

    /// The cell at a position.
    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * width + column] }
        set { cells[row * width + column] = newValue }
    }

    /// Fills a row with a role (spaces).
    public mutating func fill(row: Int, role: Role) {
        guard row >= 0 && row < height else { return }
        for c in 0..<width { self[row, c] = Cell(" ", role) }
    }

    /// Writes text from a column, clipped at `limit` columns (default: the right edge), a cut
    /// text ending in `…`. Wide characters take two cells and are never cut in half; a character
    /// that could drive the terminal (a control, a bidi override) is spelled out as `SafeText`
    /// writes it (`\e`, `\x07`, `\u202E`). Returns the column after the text.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, role: Role, limit: Int? = nil) -> Int {
        guard row >= 0 && row < height else { return column }
        let end = min(width, limit.map { column + $0 } ?? width)
        var c = column
        for ch in SafeText.visible(text) {
            let w = ch.terminalWidth
            if w == 0 {
                if c > column, c - 1 < width { self[row, c - 1].text.append(ch) }
                continue
            }
            if c + w > end {
                if c < end { self[row, c] = Cell(" ", role) }
                let last = end - 1
                if last >= max(0, column) {
                    if self[row, last].text.isEmpty && last > column {
                        self[row, last - 1] = Cell("…", role)
                        self[row, last] = Cell(" ", role)
                    } else {
                        self[row, last] = Cell("…", role)
                    }
                }
                return end
            }
            if c >= 0 {
                self[row, c] = Cell(String(ch), role)
                if w == 2 { self[row, c + 1] = Cell("", role) }
            }
            c += w
        }
        return c
    }

    /// The frame as text, one line a row, trailing spaces trimmed (for golden tests).
    public var text: String {
        (0..<height).map { r in
            var line = ""
            for c in 0..<width { line += cells[r * width + c].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}

extension Character {
    /// Columns the character takes in a terminal: 0 for combining marks, 2 for wide East Asian
    /// characters and emoji, else 1.
    public var terminalWidth: Int {
        guard let scalar = unicodeScalars.first else { return 0 }
        let v = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return unicodeScalars.count > 1 ? 1 : 0
        default: break
        }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }
}

extension String {
    /// Columns the string takes in a terminal.
    public var terminalWidth: Int { reduce(0) { $0 + $1.terminalWidth } }
}
