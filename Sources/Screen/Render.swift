import Certificates
import CfgDocument
import Editor
import Handset

/// Draws the state into a frame: pure, so tests compare frames as text at fixed sizes.
public enum Screen {
    /// The frame for `state` at the state's size.
    public static func render(_ state: EditorState, themeName: String = "default") -> Frame {
        let layout = Layout(width: state.width, height: state.height)
        var frame = Frame(width: state.width, height: state.height)
        if layout.tooSmall {
            let text = "terminal too small: \(state.width)x\(state.height), need \(Layout.minimumWidth)x"
                + "\(Layout.minimumHeight); " + (state.modified ? "enlarge it to save your changes" : "q quits")
            let lines = wrap(text, width: state.width)
            for (i, line) in lines.enumerated() {
                let row = max(0, (state.height - lines.count) / 2) + i
                frame.put(line, row: row, column: max(0, (state.width - line.terminalWidth) / 2), role: .error)
            }
            return frame
        }
        switch state.mode {
        case .diff(let review):
            drawDiff(state, review, into: &frame, layout: layout)
        case .help(let pager):
            drawHelp(scroll: pager.scroll, themeName: themeName, into: &frame, layout: layout)
        case .messages(let pager):
            drawMessages(state, scroll: pager.scroll, into: &frame)
        default:
            drawTitle(state, into: &frame)
            drawBreadcrumb(state, into: &frame)
            drawList(state, into: &frame, layout: layout)
            drawSeparator(state, into: &frame, layout: layout)
            drawDetails(state, into: &frame, layout: layout)
        }
        drawStatus(state, into: &frame, layout: layout)
        return frame
    }

    // MARK: - Browse

    /// A status's colour: applied, ignored, or (benign) not in the file, which no theme shows as a problem.
    static func role(of status: EntryStatus) -> Role {
        status == .notInFile ? .dim : status.isApplied ? .setOn : .setOff
    }

    static func drawTitle(_ state: EditorState, into frame: inout Frame) {
        frame.fill(row: 0, role: .title)
        var column = frame.put(" slcfg  ", row: 0, column: 0, role: .title)
        column = frame.put(
            state.title + (state.modified ? " [modified]" : ""), row: 0, column: column, role: .title)
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let counts =
            state.lintPending
            ? "linting… "
            : "\(plural(state.count(.error), "error")) · \(plural(state.count(.warning), "warning")) · "
                + "\(state.count(.info)) info "
        let start = frame.width - counts.terminalWidth
        if start > column + 1 { frame.put(counts, row: 0, column: start, role: .title) }
    }

    static func drawBreadcrumb(_ state: EditorState, into frame: inout Frame) {
        frame.fill(row: 1, role: .breadcrumb)
        frame.put(" " + fitted(state.breadcrumb, width: frame.width - 1), row: 1, column: 0, role: .breadcrumb)
    }

    /// The list's columns at a width: marks, label, value (with a set's source) and status.
    struct ListColumns {
        let labelWidth: Int
        let valueStart: Int
        let stateStart: Int
        /// The longest status fits: "ignored (.set misspelled)" is the guide's most important one.
        let stateWidth = EntryStatus.widestDescription + 1

        init(width: Int) {
            // Wide terminals give long names (All Parameters) the room they need.
            labelWidth = min(width >= 160 ? 64 : 36, max(20, width * 2 / 5 - 3))
            valueStart = 3 + labelWidth + 1
            stateStart = width - stateWidth
        }
    }

    static func drawList(_ state: EditorState, into frame: inout Frame, layout: Layout) {
        let columns = ListColumns(width: frame.width)
        let baseDepth = state.zoom.last.map { state.menu[$0].depth + 1 } ?? 0
        for line in 0..<layout.listHeight {
            let r = state.scroll + line
            let y = layout.listTop + line
            guard r < state.rows.count else { break }
            let row = state.rows[r]
            let selected = r == state.cursor
            let base: Role = selected ? .selected : .row
            frame.fill(row: y, role: base)
            frame.put(selected ? "›" : " ", row: y, column: 0, role: base)
            if state.isModified(row) { frame.put("*", row: y, column: 1, role: selected ? base : .modified) }
            if let worst = state.findings(of: row).map(\.severity).min() {
                frame.put(
                    worst == .info ? "i" : "!", row: y, column: 2,
                    role: selected ? base : (worst == .error ? .error : worst == .warning ? .warning : .info))
            }
            var (label, depth, isHeading) = rowLabel(row, state, baseDepth: baseDepth)
            if case .parameter = row {
                // A long name keeps both ends: device.sec.TLS.prof…Selection.provisioning.
                label = cutMiddle(label, width: columns.labelWidth - 2 * max(0, depth))
            }
            frame.put(
                String(repeating: "  ", count: max(0, depth)) + label, row: y, column: 3,
                role: selected ? base : (isHeading ? .heading : .row),
                limit: isHeading ? frame.width - 3 : columns.labelWidth)
            if !isHeading { drawValue(row, state, y: y, columns: columns, base: selected ? base : nil, into: &frame) }
        }
        if state.rows.isEmpty {
            frame.put("   (nothing here)", row: layout.listTop, column: 0, role: .dim)
        }
    }

    /// A row's label, its depth below the zoomed menu, and whether it heads others (a menu, an element).
    static func rowLabel(_ row: Row, _ state: EditorState, baseDepth: Int) -> (String, depth: Int, heading: Bool) {
        switch row {
        case .menu(let m):
            let node = state.menu[m]
            switch node.item {
            case .menu: return (node.label + " ›", node.depth - baseDepth, true)
            case .allParameters:
                return (node.label + " (\(state.document.parameterCount)) ›", node.depth - baseDepth, true)
            default: return (node.label, node.depth - baseDepth, false)
            }
        case .element(let n):
            return ("<" + state.document.elementName(n) + ">", state.zoom.isEmpty ? 1 : 0, true)
        case .parameter(let i):
            return (state.document.name(i), state.zoom.isEmpty ? 2 : 1, false)
        }
    }

    /// A row's value, the file it comes from in a set, and its status. `selected`: the selected
    /// row's role, which every cell of it takes.
    static func drawValue(
        _ row: Row, _ state: EditorState, y: Int, columns: ListColumns, base selected: Role?, into frame: inout Frame
    ) {
        let secret = state.parameterName(of: row).map { state.isSecret($0) } ?? false
        var valueEnd = columns.stateStart - 1
        if let source = state.source(of: row) {
            // In a set, the file the value comes from, just before the status.
            let tag = cut(source, width: 14)
            valueEnd = columns.stateStart - tag.terminalWidth - 2
            frame.put(tag, row: y, column: valueEnd + 1, role: selected ?? .dim)
        }
        let width = max(0, valueEnd - columns.valueStart)
        let shown = state.certificateSummary(of: row).map { keepingDate($0, width: width) }
            ?? state.displayValue(of: row)
        frame.put(shown, row: y, column: columns.valueStart, role: selected ?? (secret ? .secret : .row), limit: width)
        if let status = state.status(of: row) {
            frame.put(
                status.description, row: y, column: columns.stateStart,
                role: selected ?? Self.role(of: status), limit: columns.stateWidth)
        }
    }

    static func drawSeparator(_ state: EditorState, into frame: inout Frame, layout: Layout) {
        let y = layout.separatorRow
        frame.put(String(repeating: "─", count: frame.width), row: y, column: 0, role: .dim)
        let position = state.rows.isEmpty ? "" : " \(state.cursor + 1)/\(state.rows.count) "
        frame.put(position, row: y, column: max(0, frame.width - position.count - 1), role: .dim)
        frame.put(" Details ", row: y, column: 2, role: .dim)
    }

    static func drawDetails(_ state: EditorState, into frame: inout Frame, layout: Layout) {
        let lines = inputLines(state, layout: layout) ?? questionLines(state) ?? details(state)
        // Wrapped, then scrolled by J/K; a cut pane says so on its last line.
        var wrapped: [(String, Role)] = []
        for (text, role) in lines {
            for piece in wrap(text, width: frame.width - 2) { wrapped.append((piece, role)) }
        }
        let height = layout.statusRow - layout.detailsTop
        let scroll = state.mode == .browse ? min(state.detailsScroll, max(0, wrapped.count - height)) : 0
        var shown = Array(wrapped.dropFirst(scroll).prefix(height))
        let below = wrapped.count - scroll - shown.count
        if below > 0, !shown.isEmpty, state.mode == .browse {
            shown[shown.count - 1] = ("↓ \(below + 1) more line\(below == 0 ? "" : "s"): J scrolls down, K up", .dim)
        }
        if scroll > 0, !shown.isEmpty {
            shown[0] = ("↑ \(scroll + 1) line\(scroll == 0 ? "" : "s") above: K scrolls up", .dim)
        }
        for (offset, (text, role)) in shown.enumerated() {
            frame.put(text, row: layout.detailsTop + offset, column: 1, role: role)
        }
    }

    /// What the details pane shows while the mode takes input (a choice, a path, a paste).
    static func inputLines(_ state: EditorState, layout: Layout) -> [(String, Role)]? {
        switch state.mode {
        case .pick(let picker):
            let name = state.currentRow.flatMap { state.parameterName(of: $0) } ?? ""
            var lines = [("Choose a value (↑↓, Enter; Esc cancels):", Role.heading)]
                + choiceLines(picker.choices.map { state.catalogue.valueLabel($0, for: name) }, picker.selected)
            let selected = picker.selected
            if selected >= layout.detailsHeight - 1 { lines.removeSubrange(1...(selected - layout.detailsHeight + 2)) }
            return lines
        case .chooseServer(let picker):
            let question = "Platform CA \(state.server.pendingSlot ?? 0) counts for both: which server?"
            return [(question, .heading)] + choiceLines(picker.choices, picker.selected)
        case .handset(let picker):
            let choices = picker.choices
            var lines = [("Handset: \(picker.typed)▏ (\(choices.count) of \(picker.handsets.count))", Role.heading)]
                + choiceLines(choices, picker.selected)
            if picker.selected >= layout.detailsHeight - 1 {
                lines.removeSubrange(1...(picker.selected - layout.detailsHeight + 2))
            }
            return lines
        case .chooseTarget(let picker, _), .openFile(let picker):
            let question = "The files of the set, first listed first (an earlier file wins):"
            return [(question, .heading)] + choiceLines(picker.choices, picker.selected)
        case .path(let prompt) where prompt.purpose == .radiusServer:
            return [
                ("The RADIUS server, asked once this session: host[:port] secret-file password-file [identity]",
                 .heading),
                ("For EAP-TLS write device1 or device2 (the file's device certificate) instead of the password file.",
                 .details),
                ("The files' first lines are the shared secret and the password; eapol_test runs PEAP or EAP-TLS.",
                 .dim)
            ]
        case .pasteBox(let box):
            return pasteLines(box.text, height: layout.detailsHeight)
        case .path(let prompt) where prompt.purpose == .saveAs && prompt.problem != nil:
            return [(prompt.problem ?? "", .error),
                    ("Type another path; Tab completes, Enter saves, Esc cancels.", .details)]
        case .path(let prompt) where prompt.purpose == .importCertificate:
            return [("Type the certificate file's path; Tab completes, Enter imports, Esc cancels.", .heading)]
                + prompt.completions.prefix(layout.detailsHeight - 1).map { ("  " + $0, .details) }
        default:
            return nil
        }
    }

    /// A list to choose from, the selected choice marked.
    static func choiceLines(_ choices: [String], _ selected: Int) -> [(String, Role)] {
        choices.enumerated().map { i, choice in
            ((i == selected ? " › " : "   ") + choice, i == selected ? .selected : .details)
        }
    }

    /// The paste box: what to paste, how much is in, and its last lines.
    static func pasteLines(_ text: String, height: Int) -> [(String, Role)] {
        let pasted = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" })
        let count =
            "\(text.count) character\(text.count == 1 ? "" : "s"), \(pasted.count) line\(pasted.count == 1 ? "" : "s")"
        return [("Paste the certificate (PEM, base64, DER text, a chain). Ctrl-D imports, Esc cancels.", .heading),
                (count, .dim)]
            + pasted.suffix(height - 2).map { (String($0), .details) }
    }

    /// What the details pane shows while a question waits for its answer.
    static func questionLines(_ state: EditorState) -> [(String, Role)]? {
        var lines: [(String, Role)] = []
        switch state.mode {
        case .confirmNonRoot(_, let reason):
            lines.append(("This is not a root CA certificate:", .warning))
            lines.append((reason, .details))
        case .confirmWeakening(let fix, let weakening):
            lines.append(("This fix weakens security:", .warning))
            lines.append(("\(fix.description) \(weakening.effect).", .details))
            lines.append(("The secure alternative: \(weakening.remedy).", .details))
        case .confirmWeakeningEdit(_, let weakening):
            lines.append(("This change weakens security:", .warning))
            lines.append(("The handset would apply it: it \(weakening.effect).", .details))
        case .conflict(let summary, _):
            lines.append(("The file changed on disk since it was opened:", .warning))
            lines.append((summary, .details))
            lines.append(
                (
                    "o: overwrite it with your version · r: reload it (your edits are dropped) · "
                        + (state.canSaveElsewhere ? "w: save elsewhere · c: cancel" : "c: cancel"),
                    .details
                ))
        case .confirmOverwrite(let target, let status):
            lines.append(("\(target.path) already exists and is not the file you opened:", .warning))
            lines.append(
                (
                    "\(status.bytes?.count ?? 0) bytes, modified \(status.modifiedText). y shows the diff against it "
                        + "before anything is written; n asks for another name.",
                    .details
                ))
        case .confirmReadOnly(_, let reason):
            lines.append(("The file is read-only (\(reason)):", .warning))
            lines.append(
                (
                    "y reviews the diff and then replaces it, keeping its mode; n leaves it alone"
                        + (state.canSaveElsewhere ? " (w saves elsewhere)." : "."),
                    .details
                ))
        case .gone(let target):
            lines.append(("\(target.path) was deleted or moved since it was opened.", .warning))
            lines.append(
                (
                    "w writes it again at that path (after the diff) · "
                        + (state.canSaveElsewhere ? "s saves elsewhere · c cancels" : "c cancels"), .details
                ))
        default:
            return nil
        }
        return lines
    }

    /// The details of the focused entry.
    static func details(_ state: EditorState) -> [(String, Role)] {
        guard let row = state.currentRow else { return [] }
        var lines: [(String, Role)] = []
        let document = state.document(of: row)
        switch row {
        case .element(let n):
            return [("Element <\(document.elementName(n))>", .heading)]
        case .menu(let m):
            let node = state.menu[m]
            if node.name == nil {
                return [
                    (node.label, .heading),
                    (
                        node.item == .allParameters
                            ? "Every attribute of the file, by element. Enter opens."
                            : "Enter opens this menu; Esc or Left goes back.", .dim
                    )
                ]
            }
        case .parameter:
            break
        }
        let name = state.parameterName(of: row) ?? ""
        let info = state.catalogue.info(for: name)
        let index = state.parameterIndex(of: row)
        let label: String
        if case .menu(let m) = row { label = state.menu[m].label } else { label = info?.label ?? name }
        lines.append(("\(label) · \(name)\(index == nil ? " (not in the file: editing inserts it)" : "")", .heading))
        if let slot = state.slot(of: row) {
            lines += slotLines(state, slot)
        } else if let index {
            let secret = Masking.isSecret(name, value: document.rawValue(index))
                && !state.revealed.contains(name.lowercased())
            lines.append(
                (
                    "Value: \(state.displayValue(ofParameter: index, in: document))\(secret ? "  (r reveals)" : "")",
                    secret ? .secret : .details
                ))
        }
        for line in state.provenance(of: row) { lines.append((line, line.hasPrefix("Not used") ? .warning : .details)) }
        if let status = state.status(of: row) {
            let flag: String?
            if case .menu(let m) = row { flag = state.menu[m].setFlag } else { flag = SetRule.partner(of: name) }
            var text = ".set: \(flag ?? "none") → \(status.explanation(flag: flag, in: document))"
            if case .ignored(.setMisspelled) = status { text += " (f does it)" }
            lines.append((text, Self.role(of: status)))
        }
        if let info, !info.help.isEmpty { lines.append(("Values: \(info.help)", .dim)) }
        if info?.labelAssumed == true {
            lines.append(("Label: assumed (the handset's own wording is not documented)", .dim))
        }
        if let schema = state.catalogue.schema, let declared = schema.parameter(name), !declared.documentation.isEmpty,
           info?.help.hasPrefix(declared.documentation) != true {
            lines.append(("\(schema.source): \(declared.documentation)", .dim))
        }
        if let index, let comment = document.comment(before: index) { lines.append(("Comment: \(comment)", .dim)) }
        for finding in state.findings(of: row) {
            lines.append(
                (
                    "\(finding.severity.rawValue): "
                        + "\(finding.message)\(finding.fix.map { " (f: \($0.description))" } ?? "")",
                    finding.severity == .error ? .error : finding.severity == .warning ? .warning : .info
                ))
        }
        return lines
    }

    /// What a certificate slot holds, and the last probe of its server.
    static func slotLines(_ state: EditorState, _ slot: CertificateSlot) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        let contents = state.contents(of: slot)
        if let facts = contents.facts {
            lines.append(("Subject: \(facts.subject)", .details))
            lines.append(("Issuer: \(facts.issuer)", .details))
            lines.append(("Role: \(facts.role)", .details))
            lines.append(
                (
                    "Valid: \(Linter.day(facts.notBefore)) to \(Linter.day(facts.notAfter))"
                        + (facts.expired ? " EXPIRED" : facts.notYetValid ? " NOT YET VALID" : ""),
                    facts.expired || facts.notYetValid ? .error : .details
                ))
            lines.append(
                ("Key: \(facts.keyAlgorithm) \(facts.keyBits) bits · \(facts.signatureAlgorithm)", .details))
            lines.append(("SHA-256: \(CertificateFacts.colonHex(facts.sha256))", .details))
            lines.append(("SHA-1: \(CertificateFacts.colonHex(facts.sha1))", .details))
        } else if let problem = contents.problem {
            lines.append(("Not a certificate: \(problem)", .error))
        } else {
            lines.append(("Empty. Paste a certificate (or press p, or i for a file).", .dim))
        }
        if case .ca(let n) = slot {
            let users = state.applications(using: n)
            lines.append(("Used for: " + (users.isEmpty ? "nothing (no application's profile trusts it)"
                : users.joined(separator: " and ") + " (the profile each selects trusts it)"), .details))
        }
        if case .ca(let n) = slot, let report = state.server.reports[n] {
            lines += report.map { ($0.text, probeRole($0)) }
        }
        return lines
    }

    /// The role of a line of a probe's report: its verdict or the severity it starts with.
    static func probeRole(_ line: TrustReport.Line) -> Role {
        switch (line.verdict, line.severity) {
        case (.trusted?, _): .setOn
        case (.notTrusted?, _), (_, .error?): .error
        case (.unknown?, _), (_, .warning?): .warning
        case (nil, .info?): .info
        case (nil, nil): .details
        }
    }

    /// A breadcrumb in `width` columns: its first parts (Settings › Advanced Settings, the same on every screen) go
    /// first, as `…`, so the specific end stays; only then is the end cut.
    static func fitted(_ parts: [String], width: Int) -> String {
        var parts = parts
        var dropped = false
        while parts.count > 1, ((dropped ? ["…"] : []) + parts).joined(separator: " › ").terminalWidth > width {
            parts.removeFirst()
            dropped = true
        }
        return cut(((dropped ? ["…"] : []) + parts).joined(separator: " › "), width: width)
    }

    /// A certificate's summary in `width` columns: its name is cut, never its date (`E…, until 2033-05-18`).
    static func keepingDate(_ summary: (name: String, date: String), width: Int) -> String {
        let room = width - summary.date.terminalWidth
        guard summary.name.terminalWidth > room, room >= 2 else { return summary.name + summary.date }
        return cut(summary.name, width: room) + summary.date
    }

    /// `text` (ASCII, a parameter name) in at most `width` columns, its middle given way to `…` when cut.
    public static func cutMiddle(_ text: String, width: Int) -> String {
        guard text.terminalWidth > width, width > 4 else { return text }
        let tail = (width - 1) / 2, head = width - 1 - tail
        return String(text.prefix(head)) + "…" + String(text.suffix(tail))
    }

    /// `text` in at most `width` columns, ending in `…` when cut.
    static func cut(_ text: String, width: Int) -> String {
        guard text.terminalWidth > width, width > 0 else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let w = String(ch).terminalWidth
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// Splits text into lines of at most `width` columns.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if text.terminalWidth <= width { return [text] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let w = String(word).terminalWidth
            if w > width {
                // A word wider than a line (a fingerprint, base64) fills the line it starts on.
                if currentWidth > 0 { current += " "; currentWidth += 1 }
                for ch in word {
                    if currentWidth + ch.terminalWidth > width { lines.append(current); current = ""; currentWidth = 0 }
                    current.append(ch)
                    currentWidth += ch.terminalWidth
                }
                continue
            }
            if currentWidth > 0 && currentWidth + 1 + w > width {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            if currentWidth > 0 { current += " "; currentWidth += 1 }
            current += word
            currentWidth += w
        }
        lines.append(current)
        return lines
    }

    // MARK: - Status line

    static func drawStatus(_ state: EditorState, into frame: inout Frame, layout: Layout) {
        let y = layout.statusRow
        frame.fill(row: y, role: .status)
        if let question = state.question {
            frame.put(" " + question.prompt, row: y, column: 0, role: .prompt)
            return
        }
        switch state.mode {
        case .editValue(let editor):
            let name = state.currentRow.flatMap { state.parameterName(of: $0) } ?? ""
            if state.isSecret(name) && !editor.revealed {
                var masked = LineEditor(String(repeating: "*", count: editor.line.text.count))
                masked.cursor = editor.line.cursor
                drawPrompt(" New value (Ctrl-R shows): ", masked, row: y, into: &frame)
            } else {
                drawPrompt(" New value: ", editor.line, row: y, into: &frame)
            }
        case .path(let path): drawPrompt(" \(path.purpose.label): ", path.line, row: y, into: &frame)
        case .pfxPassphrase(let prompt):
            var shown = prompt.editor.line
            if !prompt.editor.revealed {
                shown = LineEditor(String(repeating: "*", count: prompt.editor.line.text.count))
                shown.cursor = prompt.editor.line.cursor
            }
            drawPrompt(" Passphrase of \(prompt.fileName) (Ctrl-R shows, Esc cancels): ", shown, row: y, into: &frame)
        case .search(let search): drawPrompt(" /", search.line, row: y, into: &frame)
        case .browse where state.server.running == nil && !state.message.isEmpty:
            drawMessage(state, row: y, into: &frame)
        default:
            if let (text, role) = statusLine(state) { frame.put(text, row: y, column: 0, role: role) }
        }
    }

    /// A line being typed after its label, scrolled so that the cursor shows.
    static func drawPrompt(_ label: String, _ line: LineEditor, row y: Int, into frame: inout Frame) {
        let column = frame.put(label, row: y, column: 0, role: .prompt)
        let visible = max(1, frame.width - column - 1)
        let text = String(line.text)
        let start = max(0, line.cursor - visible + 1)
        frame.put(String(text.dropFirst(start).prefix(visible)), row: y, column: column, role: .status)
        frame.cursor = (y, column + String(line.text[start..<line.cursor]).terminalWidth)
    }

    /// The last message; one too long for the line is cut, with the way to read it whole.
    static func drawMessage(_ state: EditorState, row y: Int, into frame: inout Frame) {
        let text = " " + state.message
        let role: Role = state.messageIsError ? .error : .status
        guard text.terminalWidth > frame.width else {
            frame.put(text, row: y, column: 0, role: role)
            return
        }
        let hint = " (M: all)"
        frame.put(text, row: y, column: 0, role: role, limit: frame.width - hint.count)
        frame.put(hint, row: y, column: frame.width - hint.count, role: .dim)
    }

    /// The status line of a mode that types nothing: its keys, or what is running.
    static func statusLine(_ state: EditorState) -> (String, Role)? {
        switch state.mode {
        case .checking(let path, _): return (" checking \(path)…", .status)
        case .diff: return (" y write · n/Esc back · ↑↓ PgUp PgDn scroll · ←→ sideways", .prompt)
        case .saving: return (" saving…", .status)
        case .help, .messages: return (" any key returns · ↑↓ scroll", .status)
        case .pick: return (" ↑↓ choose · Enter set · Esc cancel", .status)
        case .chooseTarget:
            let question = " Which file takes entries that no file sets yet? ↑↓ Enter (asked once) · Esc cancels"
            return (question, .prompt)
        case .openFile: return (" Show the parameters of which file? ↑↓ Enter · Esc cancels", .prompt)
        case .handset: return (" Show which handset? type part of its MAC · ↑↓ Enter · Esc cancels", .prompt)
        case .chooseServer: return (" Probe which server? ↑↓ Enter · Esc cancels", .prompt)
        case .pasteBox: return (" paste or type · Ctrl-D import · Esc cancel", .status)
        case .browse:
            guard let job = state.server.running else { return (" " + keys(for: state), .status) }
            let spinner = ["|", "/", "-", "\\"][state.server.spinner % 4]
            let doing = job.purpose == .verify ? "probing" : "fetching the chain of"
            return (" \(spinner) \(doing) \(job.target.url)… (Esc cancels)", .status)
        case .editValue, .path, .search, .quitPrompt, .confirmOverwrite, .confirmReadOnly, .gone, .conflict,
            .confirmNonRoot, .confirmWeakening, .confirmGrab, .confirmReplace, .confirmWeakeningEdit, .choosePurpose,
            .pfxPassphrase, .mergePick:
            return nil  // a typed line, or a question (drawn from state.question)
        }
    }

    /// The keys that work on the focused row.
    static func keys(for state: EditorState) -> String {
        var keys = ["↑↓ move"]
        if let row = state.currentRow {
            switch row {
            case .menu(let m) where state.menu[m].name == nil: keys.append("Enter open")
            case .element: break
            default:
                if state.slot(of: row) != nil { keys.append("paste/p/i import") } else { keys.append("Enter edit") }
                if state.status(of: row) != nil { keys.append("Space .set") }
                if state.findings(of: row).contains(where: { $0.fix != nil }) { keys.append("f fix") }
            }
        }
        if !state.zoom.isEmpty { keys.append("Esc back") }
        keys += ["Tab slot", "s save", "q quit", "? help"]
        return keys.joined(separator: "  ")
    }

    // MARK: - Diff preview

    static func drawDiff(_ state: EditorState, _ review: DiffReview, into frame: inout Frame, layout: Layout) {
        frame.fill(row: 0, role: .title)
        let targets = state.save?.targets ?? []
        let what =
            targets.count > 1
            ? "Save \(targets.count) files?"
            : targets.first.map { $0.disk == nil ? "Create \($0.path)?" : "Save \($0.path)?" }
                ?? "Save \(state.displayName)?"
        frame.put(
            " \(what) Review the changes against the file on disk (secrets masked)", row: 0, column: 0, role: .title)
        var lines: [(text: String, role: Role, gutter: Bool)] = []
        let summary = review.summary
        lines.append(("\(summary.count) parameter\(summary.count == 1 ? "" : "s") changed:", .heading, false))
        for line in summary { lines.append(("  " + line, .details, false)) }
        lines.append(("", .row, false))
        for text in review.lines {
            let role: Role =
                text.hasPrefix("@@")
                ? .diffHunk : text.hasPrefix("+") ? .diffAdded : text.hasPrefix("-") ? .diffRemoved : .row
            lines.append((text, role, role != .diffHunk))
        }
        let visible = frame.height - 2
        let start = min(review.scroll, max(0, lines.count - visible))
        for (offset, line) in lines.dropFirst(start).prefix(visible).enumerated() {
            let role = line.role
            frame.fill(row: offset + 1, role: role == .row || role == .details || role == .heading ? .row : role)
            // Scrolled sideways, a diff line keeps its + - or space: what changed stays in sight.
            let shown = line.gutter && review.column > 0
                ? String(line.text.prefix(1)) + String(line.text.dropFirst().dropFirst(review.column))
                : String(line.text.dropFirst(review.column))
            frame.put(cut(shown, width: frame.width), row: offset + 1, column: 0, role: role)
        }
    }

    // MARK: - Help

    /// Every key, for `?` and F1.
    public static let helpLines: [String] = [
        "Keys",
        "  ↑ ↓ (k j)        move              PgUp PgDn Home End   page, first, last",
        "  Enter (→)        open a menu, edit a value (booleans toggle, lists pick: a digit or first letter "
            + "jumps, Home End)",
        "  Esc (←)          back out of a menu, cancel an edit or a prompt",
        "  Tab / Shift-Tab  next / previous certificate slot (Platform CA 1, 2, device 1, 2)",
        "  Space            turn the focused parameter's .set flag on or off",
        "  paste            on a certificate slot: import the pasted certificate; then",
        "                   8 / p / b / n: 802.1X, provisioning, both or neither use the slot",
        "  p                paste box for terminals without bracketed paste (Ctrl-D imports)",
        "  i                import a certificate file (Tab completes the path; a .pfx asks its passphrase)",
        "  v / g            on a CA slot: probe its server (verdict in the details) / grab its root (Esc cancels)",
        "  r                reveal or hide a password or key (Ctrl-R while typing one)",
        "  J / K            scroll the details pane down / up",
        "  M                every message of this session, in full (q, Esc or M closes)",
        "  f                apply the fix of the focused entry's lint finding",
        "  u / Ctrl-R       undo / redo",
        "  / n N            search labels, names and values; next, previous; Esc returns",
        "  s (Ctrl-S)       save: review the diff against the file on disk (←→ scroll sideways), then y "
            + "writes, n goes back",
        "  w                save as: another path (Tab completes); asks before replacing an existing file",
        "  q                quit (asks to save unsaved changes; w there saves as)",
        "  o                a provisioning set (slcfg DIR): show another file's parameters",
        "  m                a directory with handsets: show another handset's set (type part of its MAC)",
        "  t                next theme",
        "  ? F1             this help: PgDn Space b PgUp ↑↓ scroll, q Esc ? close",
        "",
        "Marks: › focus · * changed since opening · ! lint error or warning · i lint info",
        "A device.* value is applied only when its .set is 1 and device.set is 1.",
        "In a set, each row names the file its value comes from (the first file listed wins); edits go there.",
    ]

    static func drawHelp(scroll: Int, themeName: String, into frame: inout Frame, layout: Layout) {
        frame.fill(row: 0, role: .title)
        frame.put(" slcfg help · theme: \(themeName)", row: 0, column: 0, role: .title)
        // Wrapped to the width; a key's description continues under itself.
        var lines: [(String, Role)] = []
        let keyColumn = 19
        for (i, line) in helpLines.enumerated() {
            let role: Role = i == 0 ? .heading : .row
            guard line.hasPrefix("  "), line.count > keyColumn, frame.width > keyColumn + 10 else {
                lines += wrap(line, width: frame.width).map { ($0, role) }
                continue
            }
            let key = String(line.prefix(keyColumn))
            for (k, piece) in wrap(String(line.dropFirst(keyColumn)), width: frame.width - keyColumn).enumerated() {
                lines.append(((k == 0 ? key : String(repeating: " ", count: keyColumn)) + piece, role))
            }
        }
        for (offset, (text, role)) in lines.dropFirst(min(scroll, max(0, lines.count - 1))).prefix(frame.height - 2)
            .enumerated()
        {
            frame.put(text, row: offset + 1, column: 0, role: role)
        }
    }

    /// `M`: every message of the session, newest last, wrapped.
    static func drawMessages(_ state: EditorState, scroll: Int, into frame: inout Frame) {
        frame.fill(row: 0, role: .title)
        frame.put(" Messages (\(state.messageLog.count)), newest last", row: 0, column: 0, role: .title)
        var lines: [String] = []
        for message in state.messageLog { lines += wrap(message, width: frame.width - 1) }
        if lines.isEmpty { lines = ["(no messages yet)"] }
        // `scroll` lines up from the newest.
        let visible = frame.height - 2
        let end = max(min(visible, lines.count), lines.count - scroll)
        for (offset, text) in lines[max(0, end - visible)..<end].enumerated() {
            frame.put(text, row: offset + 1, column: 0, role: .details)
        }
    }
}
