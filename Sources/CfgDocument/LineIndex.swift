/// Line and column of byte offsets: 1-based lines, 1-based columns counted in characters.
public struct LineIndex: Sendable {
    /// The byte offset at which each line starts.
    public let lineStarts: [Int]
    let bytes: [UInt8]
    /// For every block of 2^12 bytes: the characters between its line's start and the block's
    /// first byte, so that a column costs at most one block to count, however long the line
    /// (a one-line file of 150,000 attributes).
    let checkpoints: [Int32]
    static let blockShift = 12

    /// Indexes the lines of `bytes`; `\n`, `\r\n` and a lone `\r` each end a line.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        var checkpoints: [Int32] = []
        checkpoints.reserveCapacity(bytes.count >> Self.blockShift + 1)
        bytes.withUnsafeBufferPointer { p in
            var i = 0
            let n = p.count
            let mask = (1 << Self.blockShift) - 1
            var characters: Int32 = 0
            while i < n {
                if i & mask == 0 { checkpoints.append(characters) }
                let c = p[i]
                if c == ASCII.lf {
                    starts.append(i + 1)
                    characters = 0
                } else if c == ASCII.cr && (i + 1 >= n || p[i + 1] != ASCII.lf) {
                    starts.append(i + 1)
                    characters = 0
                } else if c & 0xC0 != 0x80 {
                    characters += 1
                }
                i += 1
            }
        }
        lineStarts = starts
        self.checkpoints = checkpoints
    }

    /// The 1-based line of a byte offset.
    public func line(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid }
        }
        return lo + 1
    }

    /// The 1-based line and column (in characters; a byte-order mark does not count) of an offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let line = line(of: offset)
        var start = lineStarts[line - 1]
        var column = 1
        if start == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF && offset >= 3 {
            start = 3
            column = 0   // the checkpoints count the byte-order mark as a character
        }
        let block = offset >> Self.blockShift
        var i = start
        if block < checkpoints.count && block << Self.blockShift > start {
            i = block << Self.blockShift
            column = Int(checkpoints[block]) + 1 + (column == 0 ? -1 : 0)
        } else if column == 0 {
            column = 1
        }
        let end = min(offset, bytes.count)
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }
}

/// Line and column of increasing offsets in one pass (for listings of every parameter).
public struct LocationCursor {
    let index: LineIndex
    var line = 0
    var lastOffset = 0
    var lastColumn = 1

    /// A cursor at the start of the file.
    public init(_ index: LineIndex) {
        self.index = index
        if index.bytes.count >= 3 && index.bytes[0] == 0xEF && index.bytes[1] == 0xBB && index.bytes[2] == 0xBF {
            lastOffset = 3
        }
    }

    /// The location of `offset`, which must not be less than the previous one asked for.
    public mutating func location(of offset: Int) -> (line: Int, column: Int) {
        let starts = index.lineStarts
        var moved = false
        while line + 1 < starts.count && starts[line + 1] <= offset {
            line += 1
            moved = true
        }
        if moved {
            lastOffset = starts[line]
            lastColumn = 1
        }
        index.bytes.withUnsafeBufferPointer { p in
            var i = lastOffset
            var column = lastColumn
            while i < offset {
                if p[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            lastOffset = offset
            lastColumn = column
        }
        return (line + 1, lastColumn)
    }
}
