// A file's unsaved bytes as the recovery journal takes them: the bytes as read (or last saved)
// and the changes made since, replayed on the journal's own thread.
import CfgDocument

/// What a recovery journal keeps of one file, taken on a keystroke without copying the
/// document's bytes and without sharing them: a shared array would make the next edit copy
/// the whole file (22 ms on 33 MB).
public struct UnsavedFile: Sendable {
    public let path: String
    /// The file's bytes as read or last saved: the editor never writes into this array.
    let original: [UInt8]
    /// Every change to the document since, oldest first.
    let changes: [Change]
    /// The file's encoding: a UTF-16 file's text is replayed as UTF-8 and journalled as UTF-16.
    let encoding: DeclaredEncoding

    public init(path: String, original: [UInt8], changes: [Change], encoding: DeclaredEncoding = .utf8) {
        self.path = path
        self.original = original
        self.changes = changes
        self.encoding = encoding
    }

    /// A run of bytes of the result: from the original (`source` nil) or from a change's
    /// inserted bytes.
    private struct Piece {
        var source: Int?
        var range: Range<Int>
    }

    /// The document's bytes as its file holds them (``CfgDocument/fileBytes``).
    public func fileBytes() -> [UInt8] { encoding.fileBytes(bytes()) }

    /// The document's bytes (``CfgDocument/bytes``): the changes replayed on the original over a list of pieces,
    /// so that a change costs the pieces so far, never a move of the whole file.
    public func bytes() -> [UInt8] {
        var pieces = original.isEmpty ? [] : [Piece(source: nil, range: original.indices)]
        var total = original.count
        for (k, change) in changes.enumerated() {
            let before = Self.clip(pieces, to: 0..<change.range.lowerBound)
            let after = Self.clip(pieces, to: change.range.upperBound..<total)
            let inserted = change.inserted.isEmpty ? [] : [Piece(source: k, range: change.inserted.indices)]
            pieces = before + inserted + after
            total += change.inserted.count - change.range.count
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        for piece in pieces {
            bytes += piece.source.map { changes[$0].inserted[piece.range] } ?? original[piece.range]
        }
        return bytes
    }

    /// The parts of `pieces` (laid end to end from offset 0) that fall within `window`.
    private static func clip(_ pieces: [Piece], to window: Range<Int>) -> [Piece] {
        var kept: [Piece] = []
        var start = 0
        for piece in pieces {
            let end = start + piece.range.count
            let from = max(start, window.lowerBound), to = min(end, window.upperBound)
            if from < to {
                let first = piece.range.lowerBound + from - start
                kept.append(Piece(source: piece.source, range: first..<first + (to - from)))
            }
            start = end
            if start >= window.upperBound { break }
        }
        return kept
    }
}
