import Certificates
import CfgDocument
import Foundation
import Handset
import Files

extension EditorState {
    /// The rows a page holds (the list's height at the current size).
    public var pageSize: Int { max(1, Layout(width: width, height: height).listHeight) }

    /// Applies one event: a pure function of the state (no I/O, no clock); returns the work to do.
    public mutating func update(_ event: Event) -> [Effect] {
        var effects = apply(event)
        if lint.pending && !lint.requested {
            lint.requested = true
            effects.insert(.lint(generation: generation), at: 0)
        }
        return effects
    }

    mutating func apply(_ event: Event) -> [Effect] {
        switch event {
        case .linted(let forGeneration, let result):
            lint.requested = false
            guard forGeneration == generation else { return [] }   // the document changed since: lint again
            derived.findings = result
            lint.pending = false
            rebuildMenu()
            return []
        case .resize(let w, let h):
            view.width = max(1, w)
            view.height = max(1, h)
            keepCursorVisible()
            return []
        case .paste(let text):
            // Nothing acts behind the "terminal too small" screen.
            if Layout(width: width, height: height).tooSmall { return [] }
            return paste(text)
        case .click(let screenRow):
            guard mode == .browse else { return [] }
            let row = screenRow - Layout(width: width, height: height).listTop + scroll
            if rows.indices.contains(row) { view.cursor = row }
            return []
        case .scroll(let delta):
            scrolled(by: delta)
            return []
        case .fileRead(let path, let result):
            switch result {
            case .success(let bytes): return importCertificate(bytes, source: path)
            case .failure(let error): fail(error.description)
            }
            return []
        case .completions(let candidates):
            guard case .path(var prompt) = mode else { return [] }
            prompt.complete(with: candidates)
            mode = .path(prompt)
            if candidates.count > 1 && prompt.purpose == .saveAs {
                inform(candidates.prefix(8).map { ($0 as NSString).lastPathComponent }.joined(separator: "  "))
            }
            return []
        case .filesWritten(let results):
            return written(results)
        case .changedOnDisk(let path, let summary, let current):
            changedOnDisk(path, summary: summary, current: current)
            return []
        case .pfxOpened(let slot, let source, let result):
            pfxOpened(slot: slot, source: source, result)
            return []
        case .inspected(let path, let status):
            return inspected(path, status)
        case .key(let key):
            if Layout(width: width, height: height).tooSmall {
                // Behind "too small" only q acts, and only when it loses nothing.
                return key == .character("q") && mode == .browse && !modified ? [.quit] : []
            }
            return route(key)
        case .probed(let id, let result):
            probed(id: id, result)
            return []
        case .tick:
            if work.running != nil { work.spinner += 1 }
            return []
        }
    }

    /// The mouse wheel: three lines of the review, or three rows.
    mutating func scrolled(by delta: Int) {
        if case .diff(var review) = mode {
            for _ in 0..<3 { _ = review.update(delta < 0 ? .up : .down, page: pageSize) }
            mode = .diff(review)
        } else if mode == .browse {
            moveCursor(by: delta * 3)
        }
    }

    // MARK: - Keys by mode

    /// A key goes to the mode it belongs to: the mode's own `update` changes the mode and says
    /// what it asks for; the session does that.
    mutating func route(_ key: Key) -> [Effect] {
        switch mode {
        case .browse: return browse(key)
        case .pfxPassphrase(let prompt): return pfxKey(key, prompt)
        case .mergePick(let pick): return mergeKey(key, pick)
        case .editValue(var editor):
            if let value = step(editor.update(key), stay: .editValue(editor), cancelled: "edit cancelled") {
                commitValue(value)
            }
        case .pick(var picker):
            if let value = step(picker.update(key), stay: .pick(picker)) { commitValue(value) }
        case .pasteBox(var box):
            if let text = step(box.update(key), stay: .pasteBox(box), cancelled: "paste cancelled") {
                return importCertificate(Array(text.utf8), source: "the paste box")
            }
        case .path(var prompt): return pathKey(prompt.update(key), prompt)
        case .search(var search): searchKey(search.update(key), search)
        case .help(var pager): _ = step(pager.update(key, page: pageSize), stay: .help(pager))
        case .messages(var pager): _ = step(pager.update(key, page: pageSize), stay: .messages(pager))
        case .confirmNonRoot(let input, _):
            let answer = question?.answer(key)
            mode = .browse
            if answer == .yes { return importCertificate(input, source: "the paste", allowNonRoot: true) }
            inform("not imported")
        case .confirmWeakeningEdit(let pending, let weakening):
            let answer = question?.answer(key)
            mode = .browse
            guard answer == .yes else {
                inform("not changed: \(weakening.remedy)")
                return []
            }
            switch pending {
            case .commit(let value): commitValue(value, confirmed: true)
            case .toggleFlag: toggleSetFlag(confirmed: true)
            case .importCertificate: break
            }
        case .confirmReplace(let input, let allowNonRoot, _):
            let answer = question?.answer(key)
            mode = .browse
            if answer == .yes {
                return importCertificate(input, source: "the paste", allowNonRoot: allowNonRoot, replacing: true)
            }
            inform("not imported: the slot keeps its certificate")
        case .choosePurpose(let slot, let imported):
            let answer = question?.answer(key)
            mode = .browse
            use(slot: slot, for: answer, imported: imported)
        case .confirmWeakening(let fix, let weakening):
            let answer = question?.answer(key)
            mode = .browse
            if answer == .yes { apply(fix) } else { inform("not applied: \(weakening.remedy)") }
        case .diff(var review): return reviewKey(review.update(key, page: pageSize), review)
        case .checking, .confirmOverwrite, .confirmReadOnly, .gone, .quitPrompt, .conflict: return answer(key)
        case .saving: break
        case .chooseTarget(var picker, let pending):
            if let name = step(picker.update(key), stay: .chooseTarget(picker, pending), cancelled: "nothing changed"),
               let k = picker.choices.firstIndex(of: name) {
                return chose(target: k, for: pending)
            }
        case .openFile(var picker):
            if let name = step(picker.update(key), stay: .openFile(picker)), let k = picker.choices.firstIndex(of: name)
            {
                open(member: k)
            }
        case .handset(var picker):
            if let mac = step(picker.update(key), stay: .handset(picker)) {
                return mac == handset ? [] : [.openHandset(mac)]
            }
        case .chooseServer(var picker):
            if let choice = step(picker.update(key), stay: .chooseServer(picker), cancelled: "nothing probed") {
                return chose(server: choice)
            }
            if mode == .browse { work.pending = nil }
        case .confirmGrab(let facts, let slot, let source):
            return grabAnswer(key, facts: facts, slot: slot, source: source)
        }
        return []
    }

    /// What every mode's step does to the mode: stay (keeping its new state) or go back to
    /// browsing; returns the result when the mode is done with one.
    mutating func step<Result>(_ step: ModeStep<Result>, stay: Mode, cancelled: String? = nil) -> Result? {
        switch step {
        case .stay:
            mode = stay
            return nil
        case .cancel:
            mode = .browse
            if let cancelled { inform(cancelled) }
            return nil
        case .done(let result):
            mode = .browse
            return result
        }
    }

    mutating func pathKey(_ step: ModeStep<PathPrompt.Request>, _ prompt: PathPrompt) -> [Effect] {
        switch (step, prompt.purpose) {
        case (.stay, _): mode = .path(prompt)
        case (.done(.complete(let prefix)), _): mode = .path(prompt); return [.complete(prefix)]
        case (.cancel, .importCertificate): mode = .browse
        case (.cancel, .saveAs): cancelSave("not saved")
        case (.cancel, .radiusServer): mode = .browse; work.pending = nil; inform("nothing probed")
        case (.done(.complete), .radiusServer): mode = .path(prompt)
        case (.done(.path), .radiusServer): mode = .browse; return radiusGiven(prompt.line.string)
        case (.done(.path(let path)), .importCertificate): mode = .browse; return [.readFile(path)]
        case (.done(.path(let path)), .saveAs): return saveAs(path)
        }
        return []
    }

    /// Search as you type, from where the search started; no match leaves the cursor there.
    mutating func searchKey(_ step: ModeStep<String>, _ search: Search) {
        func returnToOrigin() {
            view.zoom = search.zoom
            rebuildRows()
            view.cursor = search.origin
            keepCursorVisible()
        }
        switch step {
        case .cancel:
            mode = .browse
            returnToOrigin()
        case .done(let text):
            mode = .browse
            view.lastSearch = text
            let term = text.lowercased()
            if !term.isEmpty && !(currentRow.map { matches($0, term) } ?? false) {
                returnToOrigin()
                fail("not found: \"\(text)\"")
            }
        case .stay:
            let changed = mode != .search(search)
            mode = .search(search)
            guard changed else { return }
            view.zoom = []
            rebuildRows()
            if search.line.string.isEmpty || findNext(search.line.string, forward: true, from: -1) == nil {
                returnToOrigin()
            }
            keepCursorVisible()
        }
    }

    mutating func browse(_ key: Key) -> [Effect] {
        view.say("", error: false)
        let before = cursor
        defer { if cursor != before { view.detailsScroll = 0 } }
        switch key {
        case .up, .character("k"): moveCursor(by: -1)
        case .down, .character("j"): moveCursor(by: 1)
        case .pageUp: moveCursor(by: -pageSize)
        case .pageDown: moveCursor(by: pageSize)
        case .home: view.cursor = 0; keepCursorVisible()
        case .end: view.cursor = max(0, rows.count - 1); keepCursorVisible()
        case .tab: focusSlot(forward: true)
        case .backTab: focusSlot(forward: false)
        case .enter, .right: return enter()
        case .escape where work.running != nil: cancelProbe()
        case .escape, .left: goBack()
        case .character("v"): return startProbe(.verify)
        case .character("g"): return startProbe(.grab)
        case .character(" "): toggleSetFlag()
        case .character("p"):
            guard let row = currentRow, slot(of: row) != nil else {
                fail("p pastes into a certificate slot: press Tab to go to one"); return []
            }
            mode = .pasteBox(PasteBox())
        case .character("i"):
            guard let row = currentRow, slot(of: row) != nil else {
                fail("i imports into a certificate slot: press Tab to go to one"); return []
            }
            mode = .path(PathPrompt(.importCertificate))
        case .character("s"), .control("s"): return startSave()
        case .character("w"): return startSaveAs()
        case .character("q"):
            if modified { mode = .quitPrompt } else { return [.quit] }
        case .character("u"): undo()
        case .control("r"): redo()
        case .character("/"): mode = .search(Search(origin: cursor, zoom: zoom))
        case .character("n"), .character("N"): searchAgain(forward: key == .character("n"))
        case .character("f"): applyFix()
        case .character("r"): toggleReveal()
        case .character("?"), .f1: mode = .help(Pager())
        case .character("t"): nextTheme()
        case .character("J"): view.detailsScroll = min(detailsScroll + 1, maxDetailsScroll)
        case .character("K"): view.detailsScroll = max(0, detailsScroll - 1)
        case .character("M"): mode = .messages(Pager(upwards: true, limit: messageLog.count * 4))
        case .character("o"):
            guard workspace.set != nil else {
                fail("o opens another file of a provisioning set: this is one file")
                break
            }
            mode = .openFile(Picker(choices: workspace.files.map(\.displayName), selected: workspace.active))
        case .character("m"): pickHandset()
        default: break
        }
        return []
    }

    /// `m`: which handset's set to show, when the directory has handsets and nothing is unsaved.
    mutating func pickHandset() {
        guard !handsets.isEmpty else {
            fail("m shows another handset's files: open a provisioning directory that has handsets")
            return
        }
        guard !modified else {
            fail("save (s) or undo (u) the changes before showing another handset")
            return
        }
        mode = .handset(HandsetPicker(handsets: handsets, current: handset))
    }

    /// The state of another handset's set, read by the front end, keeping this one's handsets,
    /// theme, size and message log.
    public func switched(to other: EditorState) -> EditorState {
        var next = other
        next.themeNames = themeNames
        next.handsets = handsets
        next.view.themeIndex = view.themeIndex
        next.view.messageLog = view.messageLog
        next.inform("handset \(next.handset ?? "none"): \(next.workspace.files.count) file"
            + "\(next.workspace.files.count == 1 ? "" : "s") in the order it reads them")
        return next
    }

    /// `n`, `N`: the last search again, forwards or backwards (out of a menu that has no match).
    mutating func searchAgain(forward: Bool) {
        guard !view.lastSearch.isEmpty else { fail("nothing searched yet: press /"); return }
        if !zoom.isEmpty, !rows.contains(where: { matches($0, view.lastSearch.lowercased()) }) {
            view.zoom = []
            rebuildRows()
        }
        switch findNext(view.lastSearch, forward: forward, from: cursor) {
        case nil: fail("not found: \"\(view.lastSearch)\"")
        case true?: inform("search wrapped to the \(forward ? "top" : "bottom")")
        case false?: break
        }
    }

    /// `t`: the next theme.
    mutating func nextTheme() {
        view.themeIndex += 1
        let names = themeNames.isEmpty ? ["default"] : themeNames
        inform("theme: \(names[themeIndex % names.count]) (t for the next: \(names[(themeIndex + 1) % names.count]))")
    }

    // MARK: - Movement

    mutating func moveCursor(by delta: Int) {
        guard !rows.isEmpty else { return }
        view.cursor = min(max(0, cursor + delta), rows.count - 1)
        keepCursorVisible()
    }

    mutating func keepCursorVisible() {
        let page = pageSize
        if cursor < page { view.scroll = 0 }
        if cursor < scroll { view.scroll = cursor }
        if cursor >= scroll + page { view.scroll = cursor - page + 1 }
        view.scroll = max(0, min(scroll, max(0, rows.count - page)))
    }

    /// Tab order: Platform CA 1 → 2 → Device certificate 1 → 2 → wrap, from anywhere.
    mutating func focusSlot(forward: Bool) {
        let order = CertificateSlot.all
        let currentSlot = currentRow.flatMap { slot(of: $0) }
        let next: CertificateSlot
        if let currentSlot, let i = order.firstIndex(of: currentSlot) {
            next = order[(i + (forward ? 1 : order.count - 1)) % order.count]
        } else {
            next = forward ? order[0] : order[order.count - 1]
        }
        guard let m = menu.firstIndex(where: { if case .slot(next) = $0.item { return true } else { return false } })
        else { return }
        if rows.index(ofMenu: m) == nil {
            view.zoom = []
            rebuildRows()
        }
        if let r = rows.index(ofMenu: m) {
            view.cursor = r
            keepCursorVisible()
        }
    }

    mutating func enter() -> [Effect] {
        guard let row = currentRow else { return [] }
        if case .menu(let m) = row {
            switch menu[m].item {
            case .menu, .allParameters:
                view.zoom.append(m)
                rebuildRows()
                view.cursor = 0
                view.scroll = 0
                return []
            case .slot:
                mode = .pasteBox(PasteBox())
                return []
            case .parameter:
                break
            }
        }
        guard case .element = row else {
            beginEdit(row)
            return []
        }
        return []
    }

    mutating func goBack() {
        guard let top = view.zoom.popLast() else { return }
        rebuildRows()
        view.cursor = rows.index(ofMenu: top) ?? 0
        keepCursorVisible()
    }

    // MARK: - Editing

    mutating func beginEdit(_ row: Row) {
        guard let name = parameterName(of: row) else { return }
        let info = catalogue.info(for: name)
        let current = parameterIndex(of: row).map { document.value($0) } ?? ""
        switch info?.domain {
        case .boolean?:
            commitValue(current == "1" ? "0" : "1")
        case .choices?:
            let options = catalogue.choices(for: name, current: current) ?? []
            mode = .pick(
                Picker(
                    choices: options,
                    selected: options.firstIndex { $0.caseInsensitiveCompare(current) == .orderedSame } ?? 0))
        case .certificate?, .privateKey?:
            mode = .pasteBox(PasteBox())
        default:
            mode = .editValue(ValueEditor(isSecret(name) && !revealed.contains(name.lowercased()) ? "" : current))
        }
    }

    /// `f`: applies the first fix of the focused row's findings.
    mutating func applyFix() {
        guard let row = currentRow, let finding = findings(of: row).first(where: { $0.fix != nil }),
            let fix = finding.fix
        else {
            fail("no fix here: lint findings with a fix are marked on their rows")
            return
        }
        if let weakening = finding.weakens {
            mode = .confirmWeakening(fix, weakening)
            return
        }
        apply(fix)
    }

    mutating func apply(_ fix: Fix) {
        editWhereRowLives("fixed: \(fix.description)") { document in
            try document.apply(fix).map(\.name)
        }
    }

    mutating func toggleReveal() {
        guard let row = currentRow, let name = parameterName(of: row), isSecret(name) else {
            fail("r reveals a password or key: this value is not secret"); return
        }
        let key = name.lowercased()
        if revealed.contains(key) { view.revealed.remove(key) } else { view.revealed.insert(key) }
    }

    /// Replaces member `k` with what is on disk now, dropping the edits (and the undo history).
    mutating func reload(member k: Int, _ bytes: [UInt8], snapshot: FileSnapshot?) {
        workspace.files[k].reread(bytes, snapshot: snapshot)
        history = History()
        mode = .browse
        quitAfterSave = false
        save = nil
        derived = Derived(document)
        relint()
        rebuildMenu()
        inform("reloaded \(workspace.name(of: k)) from disk; your edits were dropped")
    }

    // MARK: - Certificates

    /// Imports pasted or read text into the focused certificate slot, as `cert import` would.
    /// `replacing`: the person said yes to replacing the certificate the slot holds.
    mutating func importCertificate(_ bytes: [UInt8], source: String, allowNonRoot: Bool = false,
                                    replacing: Bool = false) -> [Effect] {
        guard let row = currentRow, let slot = slot(of: row) else {
            fail("paste a certificate into a certificate slot: press Tab to go to one")
            return []
        }
        switch slot {
        case .ca(let n):
            switch CAImport.plan(bytes, allowNonRoot: allowNonRoot, now: now) {
            case .failure(.notRoot(let reason, confirmable: true)):
                mode = .confirmNonRoot(input: bytes, reason: reason.description)
            case .failure(let refusal):
                fail("not imported: \(refusal.description)")
            case .success(let plan):
                if !replacing && askBeforeReplacing(slot, with: plan.certificate, bytes, allowNonRoot) { return [] }
                importCA(plan, slot: n, pending: .importCertificate(bytes, allowNonRoot: allowNonRoot))
            }
        case .device(let n):
            let input: CertificateInput
            do { input = try CertificateInput(bytes, now: now) } catch {
                if error.isPKCS12 {
                    mode = .pfxPassphrase(PFXPrompt(slot: n, bytes: bytes, source: source))
                } else {
                    fail("not imported: \(error.description)")
                }
                return []
            }
            importDevice(input, slot: n, bytes: bytes, replacing: replacing)
        }
        return []
    }

    /// Asks before `incoming` takes the place of another certificate `slot` holds (y imports `bytes` again, replacing);
    /// true when it asked.
    mutating func askBeforeReplacing(
        _ slot: CertificateSlot, with incoming: CertificateFacts, _ bytes: [UInt8], _ allowNonRoot: Bool = false
    ) -> Bool {
        guard let held = slots.first(where: { $0.slot == slot })?.facts, held.sha256 != incoming.sha256 else {
            return false
        }
        mode = .confirmReplace(
            input: bytes, allowNonRoot: allowNonRoot,
            question: "\(slot) holds '\(held.displayName)' (until \(Linter.day(held.notAfter))): replace it with "
                + "'\(incoming.displayName)'?")
        return true
    }

    /// Imports a certificate and its key (pasted, read, or opened from a PKCS#12 file) into device slot `n`, as
    /// `cert import-device` does, asking first when the slot holds another certificate (`bytes`: what y imports).
    mutating func importDevice(_ input: CertificateInput, slot n: Int, bytes: [UInt8], replacing: Bool) {
        let slot = CertificateSlot.device(n)
        guard let key = input.privateKeys.first else {
            fail("a device slot needs the certificate and its private key: paste both, or import a .pfx/.p12 with i")
            return
        }
        do {
            let credentials = try DeviceCredentials(
                certificates: input.certificates, keyBlock: key, keyFile: "KEYFILE")
            if !replacing && askBeforeReplacing(slot, with: credentials.certificate, bytes) { return }
            var renames: [String] = []
            editWhereRowLives("imported '\(credentials.certificate.displayName)' with its key into \(slot)") {
                document in
                let changes = try document.importDevice(credentials, slot: n)
                renames = changes.compactMap(\.renameText)
                return changes.map(\.name)
            }
            for rename in renames where !view.messageIsError { view.extend("; " + rename) }
            if !view.messageIsError { mode = .choosePurpose(slot: slot, imported: view.message) }
        } catch {
            fail("not imported: \(error.description)")
        }
    }

    /// The passphrase of a PKCS#12 file typed: openssl opens it (an effect); Esc leaves the slot as it is.
    mutating func pfxKey(_ key: Key, _ prompt: PFXPrompt) -> [Effect] {
        var prompt = prompt
        guard let passphrase = step(prompt.editor.update(key), stay: .pfxPassphrase(prompt), cancelled: "not imported")
        else { return [] }
        inform("opening \(prompt.fileName)…")
        return [.openPFX(prompt.bytes, source: prompt.source, passphrase: passphrase, slot: prompt.slot)]
    }

    /// What openssl found in a PKCS#12 file for device slot `n`: imported like a pasted certificate and key.
    mutating func pfxOpened(slot n: Int, source: String, _ result: Result<[UInt8], CertificateError>) {
        let pem: [UInt8], input: CertificateInput
        do {
            pem = try result.get()
            input = try CertificateInput(pem, now: now)
        } catch {
            fail("not imported: \(error.description)")
            return
        }
        importDevice(input, slot: n, bytes: pem, replacing: false)
    }

    /// Imports a CA certificate where it takes effect: the slot's value into the file that
    /// supplies it (else the file for new entries, asked once in a set), its `.set` where the
    /// handset reads it.
    mutating func importCA(_ plan: CAImport.Plan, slot n: Int, pending: PendingEdit) {
        let supplier = workspace.entries.first { $0.node.item == .slot(.ca(n)) }?.member
        guard let k = supplier ?? targetMember(for: pending) else { return }
        let place = workspace.set == nil ? "" : " in \(workspace.name(of: k))"
        var renames: [String] = []
        editSet("imported '\(plan.certificate.displayName)' into \(CertificateSlot.ca(n))\(place)") { set in
            let changes = try set.importCA(plan.certificate, slot: n, purpose: nil, asPEM: false, into: k).values
                .flatMap { $0 }
            renames = changes.compactMap(\.renameText)
            return changes.map(\.name)
        }
        for note in [plan.chainSummary].compactMap({ $0 }) + renames where !view.messageIsError {
            view.extend("; " + note)
        }
        if !plan.warnings.isEmpty { view.extend("; warning: " + plan.warnings.joined(separator: "; ")) }
        if !view.messageIsError { mode = .choosePurpose(slot: .ca(n), imported: view.message) }
    }

    /// The answer to "Use Platform CA N (or Device certificate N) for …?". For a CA slot the applications chosen
    /// select profile N, whose CA list allows the slot, as `cert import --for` makes them
    /// (``ProvisioningSet/useCA(slot:for:near:)``); for a device slot the profile each selects presents it
    /// (``ProvisioningSet/presentDeviceCertificate(slot:for:vocabulary:)``).
    mutating func use(slot: CertificateSlot, for answer: Answer?, imported: String) {
        let purposes: [CertificatePurpose] = switch answer {
        case .dot1x?: [.wlan]
        case .provisioning?: [.provisioning]
        case .both?: [.wlan, .provisioning]
        default: []
        }
        guard !purposes.isEmpty else {
            inform(imported + "; no application was changed to use it")
            return
        }
        let names = purposes.map { $0 == .wlan ? "802.1X" : "provisioning" }.joined(separator: " and ")
        let verb = purposes.count == 1 ? "s" : ""
        switch slot {
        case .ca(let n):
            editSet(imported + "; \(names) now use\(verb) it (Platform Profile \(n))") { set in
                try purposes.flatMap { try set.useCA(slot: n, for: $0).values.flatMap { $0 }.map(\.name) }
            }
        case .device(let n):
            editSet(imported + "; the profile \(names) select\(verb) now presents it") { set in
                try purposes.flatMap { purpose in
                    try set.presentDeviceCertificate(slot: n, for: purpose == .wlan ? .dot1x : .provisioning).values
                        .flatMap { $0 }.map(\.name)
                }
            }
        }
    }

    /// Pasted text: into a slot, the paste box, or a line being edited.
    mutating func paste(_ text: String) -> [Effect] {
        switch mode {
        case .pasteBox(var box): box.paste(text); mode = .pasteBox(box); return []
        case .editValue(var editor): editor.line.insert(text); mode = .editValue(editor); return []
        case .path(var prompt): prompt.line.insert(text); mode = .path(prompt); return []
        case .search(var search): search.line.insert(text); searchKey(.stay, search); return []
        case .browse:
            guard let row = currentRow, slot(of: row) != nil else {
                fail("to paste a certificate, first press Tab to go to a certificate slot")
                return []
            }
            return importCertificate(Array(text.utf8), source: "the paste")
        default:
            return []
        }
    }

    // MARK: - Search

    /// Moves to the next (or previous) row whose label, name or value contains `term`.
    /// Returns nil when nothing matches (the cursor stays), else whether the search wrapped.
    mutating func findNext(_ term: String, forward: Bool, from start: Int) -> Bool? {
        guard !term.isEmpty, !rows.isEmpty else { return nil }
        let needle = term.lowercased()
        let count = rows.count
        for step in 1...count {
            let unwrapped = start + (forward ? step : -step)
            let r = (unwrapped % count + count) % count
            if matches(rows[r], needle) {
                view.cursor = r
                keepCursorVisible()
                return start >= 0 && (unwrapped >= count || unwrapped < 0)
            }
        }
        return nil
    }

    func matches(_ row: Row, _ needle: String) -> Bool {
        var haystack: [String] = []
        switch row {
        case .menu(let m): haystack.append(menu[m].label)
        case .element(let n): haystack.append(document.elementName(n))
        case .parameter: break
        }
        if let name = parameterName(of: row) { haystack.append(name) }
        if let index = parameterIndex(of: row), !isSecret(document(of: row).name(index)) {
            haystack.append(document(of: row).value(index))
        }
        return haystack.contains { $0.lowercased().contains(needle) }
    }

    // MARK: - Messages

    mutating func inform(_ text: String) {
        view.say(text, error: false)
    }

    mutating func fail(_ text: String) {
        view.say(text, error: true)
    }

    /// How far `J` may scroll the details pane: enough for the longest details (a slot's facts
    /// and every finding, each of which may wrap).
    var maxDetailsScroll: Int { currentRow.map { 10 + 3 * findings(of: $0).count } ?? 0 }
}
