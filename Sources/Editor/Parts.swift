import CfgDocument
import Files
import Foundation
import Handset

/// What the screen shows of the session: rows, where the cursor is, the size, messages.
public struct View: Sendable {
    /// The rows shown (the zoomed menu's contents).
    public internal(set) var rows = RowList()
    /// The menus entered with Enter (indices into the menu), outermost first.
    public internal(set) var zoom: [Int] = []
    /// The focused row.
    public internal(set) var cursor = 0
    /// The first row shown.
    public internal(set) var scroll = 0
    /// The terminal's size.
    public internal(set) var width = 80
    public internal(set) var height = 24
    /// How far the details pane is scrolled (`J`, `K`); back to 0 when the cursor moves.
    public internal(set) var detailsScroll = 0
    /// Secret values shown in clear, by lower-cased parameter name.
    public internal(set) var revealed: Set<String> = []
    /// The theme in use (index into the themes the screen has).
    public internal(set) var themeIndex = 0
    /// The last search, for `n` and `N`.
    public internal(set) var lastSearch = ""
    /// The message of the status line (errors, what just happened).
    public internal(set) var message = ""
    /// Whether the message is an error.
    public internal(set) var messageIsError = false
    /// Every message of the session, newest last, for `M` (the last 500).
    public internal(set) var messageLog: [String] = []

    /// Adds to the message just given (and to its entry in the log).
    mutating func extend(_ text: String) {
        message += text
        if !messageLog.isEmpty { messageLog[messageLog.count - 1] += text }
    }

    mutating func say(_ text: String, error: Bool) {
        message = text
        messageIsError = error
        guard !text.isEmpty else { return }
        messageLog.append(text)
        if messageLog.count > 500 { messageLog.removeFirst(messageLog.count - 500) }
    }
}

/// Undo and redo: each step keeps the document's changes (which revert exactly), never a copy of it.
struct History: Sendable {
    struct Step: Sendable {
        /// Each member's changes, in the order made.
        var changes: [Int: [Change]]
        /// Lower-cased names the step touched (their `*` marks are checked again).
        var touched: Set<String>
        var cursor: Int
    }

    var undo: [Step] = []
    var redo: [Step] = []
    /// Steps kept; older ones are dropped.
    static let limit = 10_000

    mutating func record(_ step: Step) {
        undo.append(step)
        if undo.count > Self.limit { undo.removeFirst(undo.count - Self.limit) }
        redo = []
    }
}

/// Background lint: which document the findings belong to, and whether one is due.
public struct LintSchedule: Sendable {
    /// Which document the findings belong to: bumped at every change.
    public internal(set) var generation = 0
    /// Whether the findings are older than the document (a background lint is due or running).
    public internal(set) var pending = false
    /// Whether a background lint was asked for and has not answered yet.
    var requested = false
}

/// What is derived from the document, kept up to date edit by edit from the changes' journal.
public struct Derived: Sendable {
    /// The All Parameters rows.
    var parameterRows: ParameterRows
    /// The lint findings of the document (or of an older generation while a lint is pending).
    public internal(set) var findings: [Finding] = [] {
        didSet { lookup = FindingLookup(findings) }
    }
    /// The findings grouped by parameter, with the near-misses and the counts.
    var lookup = FindingLookup([])
    /// The value of `device.set`, nil when missing.
    public internal(set) var deviceSet: String?
    /// What each certificate slot holds.
    public internal(set) var slots: [SlotContents] = []
    /// The menu tree resolved against the document.
    public internal(set) var menu: [MenuNode] = []

    init(_ document: CfgDocument) {
        parameterRows = ParameterRows(document)
    }
}

/// The All Parameters rows: a heading for each element with parameters, then its parameters.
/// Kept as the headings alone, so that a row costs a binary search and an edit costs the
/// headings after it, however many parameters the file has.
struct ParameterRows: Sendable {
    /// The element of each heading, in document order, and the index of its first parameter.
    var elements: [Int32] = []
    var firstParameters: [Int32] = []
    var parameterCount = 0

    init() {}

    init(_ document: CfgDocument) {
        for (n, node) in document.nodes.enumerated() where !node.attributeIndices.isEmpty {
            elements.append(Int32(n))
            firstParameters.append(Int32(node.attributeIndices.lowerBound))
        }
        parameterCount = document.parameterCount
    }

    var count: Int { parameterCount + elements.count }

    subscript(k: Int) -> Row {
        // The last heading at or before row k: heading j sits at row firstParameters[j] + j.
        var lo = 0, hi = elements.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(firstParameters[mid]) + mid <= k { lo = mid } else { hi = mid }
        }
        let headingRow = Int(firstParameters[lo]) + lo
        return headingRow == k ? .element(Int(elements[lo])) : .parameter(k - lo - 1)
    }

    /// The row of parameter `i`.
    func row(ofParameter i: Int) -> Int {
        var lo = 0, hi = elements.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(firstParameters[mid]) <= i { lo = mid } else { hi = mid }
        }
        return i + lo + 1
    }

    static func lowerBound(of value: Int32, in sorted: [Int32]) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func update(after changes: [Change], in document: CfgDocument) {
        for change in changes {
            if change.rescanned { self = ParameterRows(document); return }
            let node = Int32(change.node)
            let delta = Int32(change.attributeCount - change.attributes.count)
            var p = Self.lowerBound(of: node, in: elements)
            let listed = p < elements.count && elements[p] == node
            if listed && change.attributeCount == 0 {
                elements.remove(at: p); firstParameters.remove(at: p)
            } else if !listed && change.attributeCount > 0 {
                elements.insert(node, at: p); firstParameters.insert(Int32(change.attributes.lowerBound), at: p)
                p += 1
            } else if listed {
                p += 1
            }
            if delta != 0 { for j in p..<elements.count { firstParameters[j] += delta } }
        }
        parameterCount = document.parameterCount
    }
}

/// The rows shown: menu rows, with the All Parameters rows in the middle when expanded.
public struct RowList: RandomAccessCollection, Sendable {
    var head: [Row] = []
    var parameters = ParameterRows()
    var tail: [Row] = []

    public var startIndex: Int { 0 }
    public var endIndex: Int { head.count + parameters.count + tail.count }

    public subscript(i: Int) -> Row {
        if i < head.count { return head[i] }
        let k = i - head.count
        if k < parameters.count { return parameters[k] }
        return tail[k - parameters.count]
    }

    /// The row of a menu entry, without walking the parameters.
    public func index(ofMenu m: Int) -> Int? {
        if let i = head.firstIndex(of: .menu(m)) { return i }
        return tail.firstIndex(of: .menu(m)).map { head.count + parameters.count + $0 }
    }

    /// The row of a parameter shown under All Parameters.
    public func index(ofParameter i: Int) -> Int? {
        guard parameters.count > 0, i < parameters.parameterCount else { return nil }
        return head.count + parameters.row(ofParameter: i)
    }
}
