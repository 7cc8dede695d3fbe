// The questions the status line asks: each one's words and the keys that answer it, in one value
// that `update` asks for the answer and the screen prints.
import Handset

/// The answer to a question the status line asks: each key a question offers names one.
public enum Answer: Equatable, Sendable {
    case yes, no, writeAgain, saveElsewhere, overwrite, reload, cancel, dot1x, provisioning, both, merge, mine, theirs
}

/// A question: its text, the keys it offers with their words, and what any other key means.
public struct Question: Equatable, Sendable {
    /// One key and what it answers; `words` follow the key in the prompt ("es" in "(y)es").
    public struct Choice: Equatable, Sendable {
        public let key: Character
        public let answer: Answer
        public let words: String

        init(_ key: Character, _ answer: Answer, _ words: String) {
            self.key = key
            self.answer = answer
            self.words = words
        }
    }

    public let text: String
    public let choices: [Choice]
    /// What a key the question does not offer means (nil: it is ignored and the question stays).
    let otherKeys: Answer?
    /// Whether the keys are shown as "(y/n)" rather than each with its words.
    let short: Bool

    /// The question as the status line shows it.
    public var prompt: String {
        let keys =
            short
            ? "(" + choices.map { String($0.key) }.joined(separator: "/") + ")"
            : choices.map { "(\($0.key))\($0.words)" }.joined(separator: " ")
        return "\(text) \(keys)"
    }

    /// The answer `key` gives: Esc is cancel or no, whichever is offered.
    func answer(_ key: Key) -> Answer? {
        let offered = choices.map(\.answer)
        if key == .escape { return offered.contains(.cancel) ? .cancel : offered.contains(.no) ? .no : otherKeys }
        guard case .character(let c) = key, let choice = choices.first(where: { $0.key == c }) else {
            return otherKeys
        }
        return choice.answer
    }

    /// "TEXT (y/n)"; `otherKeys`: what any other key means.
    static func yesNo(_ text: String, otherKeys: Answer? = nil) -> Question {
        Question(
            text: text, choices: [Choice("y", .yes, "es"), Choice("n", .no, "o")], otherKeys: otherKeys, short: true)
    }

    /// Quitting with unsaved changes; `elsewhere`: whether saving elsewhere is offered.
    static func saveChanges(elsewhere: Bool) -> Question {
        Question(
            text: "Save changes?",
            choices: [Choice("y", .yes, "es"), Choice("n", .no, "o")]
                + (elsewhere ? [Choice("w", .saveElsewhere, " save as")] : []) + [Choice("c", .cancel, "ancel")],
            otherKeys: nil, short: false)
    }

    /// A certificate that is not a trust anchor: any key but y keeps it out.
    static let importAnyway = Question(
        text: "Import it anyway?", choices: [Choice("y", .yes, "es"), Choice("n", .no, "o")], otherKeys: .no,
        short: false)

    /// Which applications use a slot just imported into; any other key is neither.
    static func purpose(slot: CertificateSlot) -> Question {
        Question(
            text: "Use \(slot) for",
            choices: [
                Choice("8", .dot1x, "02.1X,"), Choice("p", .provisioning, "rovisioning,"), Choice("b", .both, "oth,"),
                Choice("n", .no, "either?"),
            ],
            otherKeys: .no, short: false)
    }

    /// A parameter both sides changed: keep mine or theirs (secrets masked; Esc cancels the merge).
    static func mineOrTheirs(_ conflict: ParameterMerge.Conflict, secret: Bool) -> Question {
        func shown(_ value: String?) -> String {
            guard let value else { return "(removed)" }
            if secret { return "********" }
            return "\"" + (value.count > 24 ? String(value.prefix(23)) + "…" : value) + "\""
        }
        return Question(
            text: "\(conflict.name) changed on both sides:",
            choices: [
                Choice("m", .mine, "ine \(shown(conflict.mine))"),
                Choice("t", .theirs, "heirs \(shown(conflict.theirs))"),
                Choice("c", .cancel, "ancel"),
            ],
            otherKeys: nil, short: false)
    }

    /// The file was deleted or moved since it was read.
    static func gone(_ path: String, elsewhere: Bool) -> Question {
        Question(
            text: "\(path) is gone:",
            choices: [Choice("w", .writeAgain, "rite it again")]
                + (elsewhere ? [Choice("s", .saveElsewhere, "ave elsewhere")] : []) + [Choice("c", .cancel, "ancel")],
            otherKeys: nil, short: false)
    }

    /// The file changed on disk since it was read.
    static func conflict(elsewhere: Bool) -> Question {
        Question(
            text: "The file changed on disk:",
            choices: [Choice("o", .overwrite, "verwrite"), Choice("m", .merge, "erge"), Choice("r", .reload, "eload")]
                + (elsewhere ? [Choice("w", .saveElsewhere, " save elsewhere")] : []) + [Choice("c", .cancel, "ancel")],
            otherKeys: nil, short: false)
    }
}

extension EditorState {
    /// The question the current mode asks, if it asks one.
    public var question: Question? {
        switch mode {
        case .quitPrompt: .saveChanges(elsewhere: canSaveElsewhere)
        case .confirmOverwrite(let target, let status): .yesNo(overwriteQuestion(status, path: target.path))
        case .confirmReadOnly(let target, _): .yesNo("\(target.path) is read-only; save anyway?")
        case .gone(let target): .gone(target.path, elsewhere: canSaveElsewhere)
        case .conflict: .conflict(elsewhere: canSaveElsewhere)
        case .confirmNonRoot: .importAnyway
        case .confirmReplace(_, _, let text): .yesNo(text, otherKeys: .no)
        case .choosePurpose(let slot, _): .purpose(slot: slot)
        case .mergePick(let pick):
            .mineOrTheirs(pick.conflicts[pick.next], secret: isSecret(pick.conflicts[pick.next].name))
        case .confirmWeakening(_, let weakening), .confirmWeakeningEdit(_, let weakening):
            .yesNo("\(weakening.question): apply?", otherKeys: .no)
        case .confirmGrab(let facts, let slot, _):
            .yesNo("Import '\(facts.displayName)' into Platform CA \(slot)?", otherKeys: .no)
        default: nil
        }
    }
}
