/// A one-line text editor: cursor keys, Home/End, Backspace/Delete, Ctrl-U, typing.
public struct LineEditor: Equatable, Sendable {
    /// The text, as characters.
    public var text: [Character]
    /// The cursor position (0...text.count).
    public var cursor: Int

    public init(_ text: String = "") {
        self.text = Array(text)
        cursor = self.text.count
    }

    /// The text as a string.
    public var string: String { String(text) }

    /// Applies an editing key; returns false for keys it does not handle.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .backspace:
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete:
            if cursor < text.count { text.remove(at: cursor) }
        case .control("u"):
            text.removeFirst(cursor)
            cursor = 0
        case .character(let c):
            text.insert(c, at: cursor)
            cursor += 1
        default:
            return false
        }
        return true
    }

    /// Inserts text at the cursor (a paste into a one-line field: line breaks become spaces).
    public mutating func insert(_ s: String) {
        let chars = s.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }
        text.insert(contentsOf: chars, at: cursor)
        cursor += chars.count
    }
}
