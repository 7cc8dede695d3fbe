import Testing
import Editor

@Suite("Modes, each with its own update")
struct ModesTests {
    @Test("A picker moves within its choices, gives the selected one on Enter, and cancels on Esc")
    func picker() {
        var picker = Picker(choices: ["a", "b"], selected: 0)
        #expect(picker.update(.up) == .stay && picker.selected == 0)
        #expect(picker.update(.down) == .stay && picker.update(.down) == .stay && picker.selected == 1)
        #expect(picker.update(.enter) == .done("b"))
        #expect(picker.update(.escape) == .cancel)
    }

    @Test("A paste box collects typed lines, drops the last character on Backspace, and gives the text on Ctrl-D")
    func pasteBox() {
        var box = PasteBox()
        for key: Key in [.character("a"), .enter, .character("b"), .character("c"), .backspace] { #expect(box.update(key) == .stay) }
        box.paste("d")
        #expect(box.update(.control("d")) == .done("a\nbd"))
    }

    @Test("A value editor types, toggles showing a secret with Ctrl-R, and gives the value on Enter")
    func valueEditor() {
        var editor = ValueEditor("ab")
        #expect(editor.update(.backspace) == .stay && editor.update(.character("c")) == .stay)
        #expect(editor.update(.control("r")) == .stay && editor.revealed)
        #expect(editor.update(.enter) == .done("ac"))
    }

    @Test("A path prompt asks for completions on Tab, takes one candidate whole and several to their common prefix, and expands ~")
    func pathPrompt() {
        var prompt = PathPrompt(.saveAs, "/tmp/w")
        #expect(prompt.update(.tab) == .done(.complete("/tmp/w")))
        prompt.complete(with: ["/tmp/wireless.cfg", "/tmp/wireless-old.cfg"])
        #expect(prompt.line.string == "/tmp/wireless" && prompt.completions.count == 2)
        prompt.complete(with: ["/tmp/wireless.cfg"])
        #expect(prompt.line.string == "/tmp/wireless.cfg" && prompt.completions.isEmpty)
        var home = PathPrompt(.importCertificate, "~/ca.pem")
        guard case .done(.path(let path)) = home.update(.enter) else { Issue.record("no path"); return }
        #expect(!path.hasPrefix("~") && path.hasSuffix("/ca.pem"))
        #expect(PathPrompt(.saveAs).expanded.isEmpty)
    }

    @Test("A pager scrolls within its limit (the log upwards), by pages too; q, Esc, ?, M close it; other keys don't")
    func pager() {
        var log = Pager(upwards: true, limit: 12)
        for _ in 0..<3 { #expect(log.update(.up) == .stay) }
        #expect(log.scroll == 3)
        #expect(log.update(.down) == .stay && log.scroll == 2)
        #expect(log.update(.pageUp, page: 20) == .stay && log.scroll == 12)
        #expect(log.update(.end) == .stay && log.scroll == 0)
        #expect(log.update(.character("x")) == .stay && log.scroll == 0)
        for closer: Key in [.character("q"), .escape, .character("?"), .character("M")] {
            #expect(log.update(closer) == .cancel)
        }
    }

    @Test("The review splits the diff into lines (CR shown as ␍), scrolls both ways, writes on y and goes back on n")
    func review() {
        var review = DiffReview(summary: ["a: 1 → 2"], diff: Array("--- a\r\n+++ b\n\tx\n".utf8))
        #expect(review.lines == ["--- a␍", "+++ b", "    x"])
        #expect(review.update(.pageDown, page: 10) == .stay && review.scroll == 10)
        #expect(review.update(.right, page: 10) == .stay && review.column == 20)
        #expect(review.update(.home, page: 10) == .stay && review.scroll == 0 && review.column == 0)
        #expect(review.update(.character("y"), page: 10) == .done(true))
        #expect(review.update(.character("n"), page: 10) == .cancel)
    }
}
