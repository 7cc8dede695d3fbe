#if canImport(Glibc)
import Glibc
#endif
import CNCursesW
import Editor
import Foundation
import Handset
import Certificates
import Probe
import Screen
import Files

/// The signal that asked the editor to stop (SIGINT, SIGTERM, SIGHUP), or 0.
nonisolated(unsafe) private var pendingSignal: sig_atomic_t = 0

/// Why the editor cannot start.
public struct TerminalError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// The only code that talks to the terminal: ncursesw in, frames out, effects performed.
public enum TerminalUI {
    /// How to run the editor.
    public struct Options: Sendable {
        /// The themes `t` cycles through, the first in use.
        public var themes: [Theme]
        /// NO_COLOR: keep the attributes, drop the colours.
        public var noColour: Bool
        /// Click to focus and wheel scrolling.
        public var mouse: Bool
        /// Reads a handset's set (`m` in a fleet): the editor's state for it, or why not.
        public var openHandset: (@Sendable (String) -> Result<EditorState, TerminalError>)?

        public init(themes: [Theme], noColour: Bool, mouse: Bool,
                    openHandset: (@Sendable (String) -> Result<EditorState, TerminalError>)? = nil) {
            self.themes = themes
            self.noColour = noColour
            self.mouse = mouse
            self.openHandset = openHandset
        }
    }

    static let pasteStart = KEY_MAX + 1
    static let pasteEnd = KEY_MAX + 2

    /// Runs the editor until it quits or a signal stops it; returns the exit status
    /// (0, or 128 + the signal). The terminal is restored on every path.
    public static func run(_ initial: EditorState, options: Options) throws(TerminalError) -> Int32 {
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw TerminalError(
                description:
                    "the editor needs a terminal (standard input and output must be a tty); for scripts use the "
                        + "params, get, set, cert, lint and fix subcommands"
            )
        }
        setlocale(LC_ALL, "")
        if slcfg_locale_is_utf8() == 0 {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        let window = try start()
        defer { restore() }
        if options.mouse { mousemask(slcfg_all_mouse_events(), nil) }
        let colours = setUpColours(options)

        var state = initial
        state.themeNames = options.themes.map(\.name)
        let recovery = RecoverySession(state)
        let mailbox = Mailbox()
        var pendingEffects = state.update(.resize(width: Int(slcfg_cols()), height: Int(slcfg_lines())))
        var pasting: [Character]? = nil
        var needsDraw = true
        while true {
            if pendingSignal != 0 {
                recovery?.flush(state)
                return 128 + Int32(pendingSignal)
            }
            recovery?.note(state)
            if let failure = recovery?.failureToShow() { state.notify(failure) }
            // Draw when input pauses, never in the middle of a paste.
            if needsDraw && pasting == nil {
                let theme = options.themes[state.themeIndex % options.themes.count]
                draw(
                    Screen.render(state, themeName: theme.name),
                    colours: colours[state.themeIndex % options.themes.count])
                needsDraw = false
            }
            var events: [Event] = []
            if let finished = mailbox.take() {
                events.append(finished)
            } else if pendingEffects.isEmpty {
                var ch: wint_t = 0
                let r = wget_wch(window, &ch)
                if r == ERR {
                    // Nothing typed for 100 ms: a running probe's spinner turns.
                    guard state.server.running != nil else { continue }
                    events.append(.tick)
                } else {
                    events += decode(r, ch, pasting: &pasting)
                }
            }
            needsDraw = true
            var effects = pendingEffects
            pendingEffects = []
            for event in events { effects += state.update(event) }
            if run(effects, state: &state, mailbox: mailbox, options: options) {
                recovery?.end()
                return 0
            }
        }
    }

    /// Does the effects (and those their results bring); true when one of them is to quit.
    static func run(_ effects: [Effect], state: inout EditorState, mailbox: Mailbox, options: Options) -> Bool {
        var effects = effects
        while !effects.isEmpty {
            let effect = effects.removeFirst()
            switch effect {
            case .quit: return true
            case .lint(let generation):
                let snapshot = LintSnapshot(state.document), linter = Linter(catalogue: state.catalogue, now: state.now)
                DispatchQueue.global().async {
                    mailbox.put(.linted(generation: generation, findings: linter.lintAlone(snapshot.take())))
                }
            case .probe(let job):
                Task.detached { mailbox.put(await ProbeRunner.run(job)) }
            case .openHandset(let mac):
                switch options.openHandset?(mac) {
                case .success(let other)?:
                    state = state.switched(to: other)
                    effects += state.update(.resize(width: Int(slcfg_cols()), height: Int(slcfg_lines())))
                case .failure(let error)?: state.notify(error.description)
                case nil: break
                }
            default:
                if let result = perform(effect, state: state) { effects += state.update(result) }
            }
        }
        return false
    }

    /// Signals caught, curses started in raw mode with bracketed paste; returns the window.
    static func start() throws(TerminalError) -> UnsafeMutablePointer<WINDOW> {
        // The runtime may start us with these blocked: unblock them, then catch them.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { sigaddset(&unblock, s) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for s in [SIGINT, SIGTERM, SIGHUP] {
            signal(s) { pendingSignal = $0 }
        }
        guard initscr() != nil else {
            throw TerminalError(
                description:
                    "cannot start the terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))")
        }
        let window = slcfg_stdscr()!
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        wtimeout(window, 100)
        curs_set(0)
        define_key("\u{1B}[200~", pasteStart)
        define_key("\u{1B}[201~", pasteEnd)
        writeRaw("\u{1B}[?2004h")
        return window
    }

    /// Turns what `wget_wch` returned into events; collects bracketed paste into one event.
    static func decode(_ r: Int32, _ ch: wint_t, pasting: inout [Character]?) -> [Event] {
        var events: [Event] = []
        if r == KEY_CODE_YES {
            let code = Int32(ch)
            if code == pasteStart {
                pasting = []
            } else if code == pasteEnd {
                if let text = pasting { events.append(.paste(String(text))) }
                pasting = nil
            } else if code == KEY_RESIZE {
                events.append(.resize(width: Int(slcfg_cols()), height: Int(slcfg_lines())))
            } else if code == KEY_MOUSE {
                var event = MEVENT()
                if getmouse(&event) == OK {
                    if event.bstate & slcfg_button4_pressed() != 0 { events.append(.scroll(-1)) }
                    else if event.bstate & slcfg_button5_pressed() != 0 { events.append(.scroll(1)) }
                    else if event.bstate & slcfg_button1_clicked() != 0 { events.append(.click(row: Int(event.y))) }
                }
            } else if let key = functionKey(code) {
                events.append(.key(key))
            }
        } else {
            let scalar = Unicode.Scalar(UInt32(ch)) ?? " "
            if pasting != nil {
                pasting!.append(Character(scalar == "\r" ? "\n" : scalar))
            } else if let key = characterKey(UInt32(ch)) {
                events.append(.key(key))
            }
        }
        return events
    }

    /// Ends curses and bracketed paste; safe to call more than once.
    static func restore() {
        ProbeScratch.shared.cleanUp()
        writeRaw("\u{1B}[?2004l")
        if !isendwin() { endwin() }
    }

    static func writeRaw(_ s: String) {
        var bytes = Array(s.utf8)
        _ = Glibc.write(1, &bytes, bytes.count)
    }

    // MARK: - Effects

    /// Performs an effect; returns the event that reports its result.
    static func perform(_ effect: Effect, state: EditorState) -> Event? {
        switch effect {
        case .quit, .lint, .probe, .openHandset:
            return nil
        case .readFile(let path):
            do { return .fileRead(path: path, .success(try FileStore.read(path))) } catch {
                return .fileRead(path: path, .failure(error))
            }
        case .openPFX(let bytes, let source, let passphrase, let slot):
            let opened = Result { () throws(CertificateError) in
                try PKCS12.pem(of: bytes, shown: source, passphrase: passphrase)
            }
            return .pfxOpened(slot: slot, source: source, opened)
        case .complete(let prefix):
            return .completions(completions(for: prefix))
        case .inspect(let path):
            return .inspected(path: path, FileStore.status(of: path))
        case .writeFiles(let files):
            return writeAll(files, state: state)
        }
    }

    /// Writes a save's files: none when one of them changed on disk since it was looked at
    /// (the person decides about it), else each atomically.
    static func writeAll(_ files: [FileWrite], state: EditorState) -> Event {
        for file in files {
            guard let expected = file.expected else { continue }
            let current = (try? FileStore.read(file.path)) ?? []
            let now = FileStore.snapshot(of: file.path, bytes: current)
            guard now != expected else { continue }
            let before = state.save?.targets.first { $0.path == file.path }?.disk ?? []
            let summary =
                now == nil
                ? "\(file.path) is gone" : EditorState.changeDescription(path: file.path, old: before, new: current)
            return .changedOnDisk(path: file.path, summary: summary, current: current)
        }
        return .filesWritten(
            files.map { file in
                let result = write(file.bytes, to: file.path, expected: file.expected?.identity)
                return FileWritten(path: file.path, result: result)
            })
    }

    /// Writes one file atomically; its new snapshot, or why not.
    static func write(_ bytes: [UInt8], to path: String, expected: FileIdentity?) -> Result<FileSnapshot, FileError> {
        do {
            try FileStore().write(bytes, to: path, expected: expected)
            return .success(
                FileStore.snapshot(of: path, bytes: bytes)
                    ?? FileSnapshot(
                        size: bytes.count, modified: 0, modifiedNanoseconds: 0, hash: FileSnapshot.hash(bytes)))
        } catch {
            return .failure(error)
        }
    }

    /// Paths that start with `prefix` (directories end with `/`).
    static func completions(for prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let directory = slash.map { String(prefix[...$0]) } ?? ""
        let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        return names.filter { $0.hasPrefix(stem) && (!$0.hasPrefix(".") || stem.hasPrefix(".")) }.sorted().map { name in
            var isDirectory: ObjCBool = false
            let path = directory + name
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            return isDirectory.boolValue ? path + "/" : path
        }
    }

    // MARK: - Keys

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case slcfg_key_f(1): return .f1
        default: return nil
        }
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .character(Character(scalar))
        }
    }

    // MARK: - Drawing

    /// The curses attributes and colour pair of each role, per theme.
    static func setUpColours(_ options: Options) -> [[Role: (attr_t, Int16)]] {
        let useColour = !options.noColour && has_colors()
        if useColour {
            start_color()
            use_default_colors()
        }
        var pair: Int16 = 1
        return options.themes.map { theme in
            var table: [Role: (attr_t, Int16)] = [:]
            for role in Role.allCases {
                let style = theme.style(role)
                var attrs = slcfg_a_normal()
                if style.bold { attrs |= slcfg_a_bold() }
                if style.underline { attrs |= slcfg_a_underline() }
                if style.reverse { attrs |= slcfg_a_reverse() }
                if style.dim { attrs |= slcfg_a_dim() }
                var colourPair: Int16 = 0
                if useColour && (style.foreground != nil || style.background != nil) {
                    func number(_ name: String?) -> Int16 {
                        guard let name, var index = Theme.colourIndex(name) else { return -1 }
                        if index >= 8 && slcfg_colors() < 16 { index -= 8; attrs |= slcfg_a_bold() }
                        return Int16(index)
                    }
                    if Int32(pair) < slcfg_color_pairs() {
                        init_pair(pair, number(style.foreground), number(style.background))
                        colourPair = pair
                        pair += 1
                    }
                }
                table[role] = (attrs, colourPair)
            }
            return table
        }
    }

    static func draw(_ frame: Frame, colours: [Role: (attr_t, Int16)]) {
        erase()
        for row in 0..<frame.height {
            for column in 0..<frame.width {
                let cell = frame[row, column]
                if cell.text.isEmpty { continue }
                // The last cell of the screen cannot be written without scrolling in some terminals.
                if row == frame.height - 1 && column == frame.width - 1 && cell.text == " " { continue }
                let (attrs, pair) = colours[cell.role] ?? (slcfg_a_normal(), 0)
                var wide = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
                _ = slcfg_put_cell(Int32(row), Int32(column), &wide, attrs, pair)
            }
        }
        if let cursor = frame.cursor {
            curs_set(1)
            move(Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        refresh()
    }
}

/// Where background work (a lint, a probe) leaves its results for the input loop, in order.
final class Mailbox: @unchecked Sendable {
    private var events: [Event] = []
    private let lock = NSLock()

    func put(_ e: Event) {
        lock.lock()
        events.append(e)
        lock.unlock()
    }

    func take() -> Event? {
        lock.lock()
        defer { lock.unlock() }
        return events.isEmpty ? nil : events.removeFirst()
    }
}

/// The network side of `v` and `g`: the chain fetched as `probe` fetches it, then judged (`v`)
/// or its root looked for (`g`), as `probe` and `cert import --from-server` do.
enum ProbeRunner {
    /// The trust store, kept for the session: it reads the certificates a decision asks for, and
    /// forgets them when the directory changes.
    static let store = TrustStore()

    static func run(_ job: ProbeJob) async -> Event {
        let values = job.values
        let presented: [CertificateFacts]
        do {
            presented = try await TrustProbe.fetch(job.target, timeout: 10, fallback: true, at: job.now) { values[$0] }
                .chain
        } catch {
            return .probed(id: job.id, .failed(error.description))
        }
        switch job.purpose {
        case .verify:
            let report = await TrustProbe.verify(
                presented, from: job.target, settings: job.settings, file: job.file, at: job.now,
                trustStore: store)
            return .probed(id: job.id, .report(report))
        case .grab:
            guard let root = ServerRoot.of(presented, trustStore: store) else {
                return .probed(id: job.id, .failed("the server sent no certificate"))
            }
            return .probed(id: job.id, .root(root, origin: root.origin(url: job.target.url, store: store.source)))
        }
    }
}
