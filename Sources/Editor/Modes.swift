import Foundation
import Handset

// Each mode of the editor is a small value with its own `update(_ key:)`, as `LineEditor` is:
// it changes itself and says what the session should do; `EditorState` does it. A new mode is
// a new struct here, a case in `Mode`, and a line where the session routes keys.

/// What a mode's key asks of the session.
public enum ModeStep<Result: Equatable & Sendable>: Equatable, Sendable {
    /// Stay in the mode (it changed itself, or the key meant nothing there).
    case stay
    /// The mode is done with this result.
    case done(Result)
    /// Leave the mode without doing anything.
    case cancel
}

/// Scrolling text: help, the message log. Any other key closes it.
public struct Pager: Equatable, Sendable {
    /// How far it is scrolled.
    public internal(set) var scroll = 0
    /// Whether ↑ scrolls forward (the message log, newest at the bottom, grows upwards).
    var upwards = false
    /// How far it may scroll.
    var limit = Int.max

    public init(scroll: Int = 0, upwards: Bool = false, limit: Int = .max) {
        self.scroll = scroll
        self.upwards = upwards
        self.limit = limit
    }

    /// Scrolls on ↑↓ (j k), PgUp/PgDn, Space and b (a page of `page` lines), Home and End; closes on q, Esc, ?,
    /// F1, M or Enter; any other key does nothing.
    public mutating func update(_ key: Key, page: Int = 10) -> ModeStep<Never> {
        switch key {
        case .down, .character("j"): move(1)
        case .up, .character("k"): move(-1)
        case .pageDown, .character(" "): move(page)
        case .pageUp, .character("b"): move(-page)
        case .home: scroll = upwards ? (limit == .max ? scroll : limit) : 0
        case .end: scroll = upwards ? 0 : (limit == .max ? scroll : limit)
        case .character("q"), .escape, .character("?"), .f1, .character("M"), .enter: return .cancel
        default: break
        }
        return .stay
    }

    /// `lines` forward (towards the end of the text), within 0 and the limit.
    mutating func move(_ lines: Int) {
        scroll = min(limit, max(0, scroll + (upwards ? -lines : lines)))
    }
}

/// One of a domain's values, chosen with ↑↓ and Enter.
public struct Picker: Equatable, Sendable {
    public let choices: [String]
    public internal(set) var selected: Int

    public init(choices: [String], selected: Int) {
        self.choices = choices
        self.selected = selected
    }

    public mutating func update(_ key: Key) -> ModeStep<String> {
        switch key {
        case .up, .character("k"): selected = max(0, selected - 1)
        case .down, .character("j"): selected = min(choices.count - 1, selected + 1)
        case .home, .pageUp: selected = 0
        case .end, .pageDown: selected = choices.count - 1
        case .escape: return .cancel
        case .enter: return .done(choices[selected])
        case .character(let c): jump(to: c)
        default: break
        }
        return .stay
    }

    /// Selects the next choice (after the selected one, round to the first) that starts with `c`, ignoring case:
    /// `4` reaches `4 (FTPS)` at once, `H` goes from `HTTP` to `HTTPS`.
    mutating func jump(to c: Character) {
        let wanted = String(c).lowercased()
        for step in 1...max(1, choices.count) {
            let k = (selected + step) % choices.count
            if choices[k].lowercased().hasPrefix(wanted) { selected = k; return }
        }
    }
}

/// A handset of the fleet to show (`m`): part of its MAC typed (any spelling) narrows the list,
/// ↑↓ choose, Enter takes the one chosen, or the MAC typed in full when none is listed.
public struct HandsetPicker: Equatable, Sendable {
    public let handsets: [String]
    /// What was typed, as typed.
    public internal(set) var typed = ""
    public internal(set) var selected = 0

    public init(handsets: [String], current: String?) {
        self.handsets = handsets
        selected = current.flatMap { handsets.firstIndex(of: $0) } ?? 0
    }

    /// The handsets whose MAC holds the hex digits typed, in order.
    public var choices: [String] {
        let digits = typed.lowercased().filter(\.isHexDigit)
        return digits.isEmpty ? handsets : handsets.filter { $0.contains(digits) }
    }

    public mutating func update(_ key: Key) -> ModeStep<String> {
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, choices.count - 1), selected + 1)
        case .home, .pageUp: selected = 0
        case .end, .pageDown: selected = max(0, choices.count - 1)
        case .escape: return .cancel
        case .backspace:
            typed = String(typed.dropLast())
            selected = 0
        case .enter:
            if choices.indices.contains(selected) { return .done(choices[selected]) }
            return ProvisioningSet.macAddress(typed).map { .done($0) } ?? .stay
        case .character(let c) where c.isHexDigit || ":-.".contains(c):
            typed.append(c)
            selected = 0
        default: break
        }
        return .stay
    }
}

/// Text collected for a certificate slot; Ctrl-D finishes.
public struct PasteBox: Equatable, Sendable {
    public internal(set) var text = ""

    public init(_ text: String = "") { self.text = text }

    public mutating func update(_ key: Key) -> ModeStep<String> {
        switch key {
        case .escape: return .cancel
        case .control("d"): return .done(text)
        case .enter: text += "\n"
        case .backspace: text = String(text.dropLast())
        case .character(let c): text.append(c)
        default: break
        }
        return .stay
    }

    public mutating func paste(_ more: String) { text += more }
}

/// A merge waiting for the person to pick, parameter by parameter, between their value and the one on disk.
public struct MergePick: Equatable, Sendable {
    let member: Int
    /// The file as it is on disk now.
    let current: [UInt8]
    /// The person's changes since the file was read, and the names both sides changed differently.
    let mine: [ParameterMerge.Change]
    let keys: [String]
    public let conflicts: [ParameterMerge.Conflict]
    /// The conflict asked about now, and the lower-cased names whose value on disk is kept.
    public internal(set) var next = 0
    var keepTheirs: Set<String> = []

    init(member: Int, current: [UInt8], mine: [(key: String, change: ParameterMerge.Change)],
         conflicts: [ParameterMerge.Conflict]) {
        self.member = member
        self.current = current
        self.mine = mine.map(\.change)
        self.keys = mine.map(\.key)
        self.conflicts = conflicts
    }

    var changes: [(key: String, change: ParameterMerge.Change)] { Array(zip(keys, mine)) }
}

/// The passphrase of a PKCS#12 file (`.pfx`/`.p12`) for device slot `slot`, typed masked (Ctrl-R shows it).
public struct PFXPrompt: Equatable, Sendable {
    public let slot: Int
    /// The file's bytes, and its name for messages.
    let bytes: [UInt8]
    public let source: String
    public internal(set) var editor = ValueEditor()

    /// The file's name without its directories.
    public var fileName: String { source.split(separator: "/").last.map(String.init) ?? source }

    init(slot: Int, bytes: [UInt8], source: String) {
        self.slot = slot
        self.bytes = bytes
        self.source = source
    }
}

/// A value being typed; Ctrl-R shows a secret in clear.
public struct ValueEditor: Equatable, Sendable {
    public internal(set) var line: LineEditor
    /// Whether a secret is shown as typed.
    public internal(set) var revealed = false

    public init(_ text: String = "") { line = LineEditor(text) }

    public mutating func update(_ key: Key) -> ModeStep<String> {
        switch key {
        case .control("r"): revealed.toggle()
        case .escape: return .cancel
        case .enter: return .done(line.string)
        default: _ = line.handle(key)
        }
        return .stay
    }
}

/// A path being typed: Tab asks for completions, Enter gives the path (`~` expanded).
public struct PathPrompt: Equatable, Sendable {
    /// What it asks for.
    public enum Purpose: Equatable, Sendable {
        case importCertificate, saveAs, radiusServer

        /// What the prompt asks for.
        public var label: String {
            switch self {
            case .importCertificate: "Certificate file"
            case .saveAs: "Save as"
            case .radiusServer: "RADIUS server"
            }
        }
    }

    public let purpose: Purpose
    public internal(set) var line: LineEditor
    /// The candidates of the last Tab, when more than one.
    public internal(set) var completions: [String] = []
    /// Why the last path could not be used (a save-as that failed), shown until the next key.
    public internal(set) var problem: String?

    public init(_ purpose: Purpose, _ text: String = "", problem: String? = nil) {
        self.purpose = purpose
        line = LineEditor(text)
        self.problem = problem
    }

    /// What the session does with a key: wait, complete this prefix, or use this path.
    public enum Request: Equatable, Sendable { case complete(String), path(String) }

    public var expanded: String { (line.string as NSString).expandingTildeInPath }

    public mutating func update(_ key: Key) -> ModeStep<Request> {
        problem = nil
        switch key {
        case .escape: return .cancel
        case .enter: return expanded.isEmpty ? .stay : .done(.path(expanded))
        case .tab: return .done(.complete(expanded))
        default:
            if line.handle(key) { completions = [] }
        }
        return .stay
    }

    /// Takes the candidates a Tab found: one replaces the text, several extend it to their common prefix.
    public mutating func complete(with candidates: [String]) {
        if candidates.count == 1 {
            line = LineEditor(candidates[0])
        } else if let common = Self.commonPrefix(candidates), common.count > line.text.count {
            line = LineEditor(common)
        }
        completions = candidates.count > 1 ? candidates : []
    }

    static func commonPrefix(_ strings: [String]) -> String? {
        guard var prefix = strings.first else { return nil }
        for s in strings.dropFirst() {
            while !s.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

/// Search as you type; Esc returns to where it started.
public struct Search: Equatable, Sendable {
    public internal(set) var line = LineEditor()
    /// The row and the menus entered when the search started.
    let origin: Int
    let zoom: [Int]

    init(origin: Int, zoom: [Int]) {
        self.origin = origin
        self.zoom = zoom
    }

    /// `.stay` with the text changed: search again.
    public mutating func update(_ key: Key) -> ModeStep<String> {
        switch key {
        case .escape: return .cancel
        case .enter: return .done(line.string)
        default: _ = line.handle(key)
        }
        return .stay
    }
}

/// The review before a save: the change summary and the diff, made once, scrolled both ways.
public struct DiffReview: Equatable, Sendable {
    /// `name: old → new` for each changed parameter.
    public let summary: [String]
    /// The unified diff against what is on disk, secrets masked, one line each.
    public let lines: [String]
    public internal(set) var scroll = 0
    /// How far it is scrolled sideways (columns).
    public internal(set) var column = 0

    public init(summary: [String], diff: [UInt8]) {
        self.summary = summary
        // Split on the bytes: in a String, "\r\n" is one character.
        lines = diff.split(separator: 10, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\r", with: "␍").replacingOccurrences(
                of: "\t", with: "    ")
        }
    }

    /// `y` writes; `n` or Esc goes back; the rest scroll (a page is `page` lines).
    public mutating func update(_ key: Key, page: Int) -> ModeStep<Bool> {
        switch key {
        case .character("y"): return .done(true)
        case .character("n"), .escape: return .cancel
        case .down, .character("j"): scroll += 1
        case .up, .character("k"): scroll = max(0, scroll - 1)
        case .pageDown, .character(" "): scroll += page
        case .pageUp: scroll = max(0, scroll - page)
        case .home: scroll = 0; column = 0
        case .right, .character("l"): column += 20
        case .left, .character("h"): column = max(0, column - 20)
        default: break
        }
        return .stay
    }
}

