import Foundation
import Glibc
import Testing
import TestSupport

/// The built binary in a headless tmux, on a socket of its own.
final class Tmux {
    let socket = "slcfg-test-\(UUID().uuidString.prefix(8))"
    let directory: URL

    init(directory: URL) { self.directory = directory }

    /// Runs tmux with posix_spawn, its output in a file and no other descriptor inherited: the
    /// server it starts would keep Foundation's pipes (and so `Process`) waiting forever.
    @discardableResult
    func tmux(_ arguments: [String]) -> (status: Int32, stdout: String) {
        let output = directory.appendingPathComponent("tmux-\(UUID().uuidString).out")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // bash closes every inherited descriptor above 2, then becomes tmux.
        let closeAll = "for f in /proc/$$/fd/*; do n=${f##*/}; if [ \"$n\" -gt 2 ]; then eval \"exec $n>&-\" 2>/dev/null; fi; done; exec tmux \"$@\""
        let argv = ["bash", "-c", closeAll, "tmux", "-L", socket] + arguments
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        // The test runner's threads block signals, and a child inherits the mask: without this,
        // the tmux server and its panes never see kill-server's SIGHUP and outlive the test.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawnp(&pid, "bash", &actions, &attributes, cArgs, environ) == 0 else { return (-1, "") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        return ((status >> 8) & 0xFF, text)
    }

    /// Starts `arguments` of slcfg, then prints its exit status and waits, so the pane stays.
    func start(_ arguments: [String], width: Int = 100, height: Int = 30, environment: String = "") {
        // The test runner may set NO_COLOR itself: start from an environment without it.
        // Recovery journals go beside the test's files, never into the home directory.
        let command = "cd '\(directory.path)' && env -u NO_COLOR XDG_STATE_HOME='\(directory.path)/state' \(environment) TERM=xterm-256color '\(slcfgPath)' \(arguments.map { "'\($0)'" }.joined(separator: " ")); echo \"EXIT=$?\"; sleep 60"
        tmux(["new-session", "-d", "-s", "e", "-x", "\(width)", "-y", "\(height)", command])
    }

    func keys(_ keys: String...) { tmux(["send-keys", "-t", "e"] + keys) }

    /// Pastes text as a terminal with bracketed paste does.
    func paste(_ text: String) {
        let file = directory.appendingPathComponent("paste-\(UUID().uuidString).txt")
        write(Array(text.utf8), to: file)
        tmux(["load-buffer", "-b", "p", file.path])
        tmux(["paste-buffer", "-p", "-b", "p", "-t", "e"])
    }

    func capture(escapes: Bool = false) -> String {
        tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", "e"]).stdout
    }

    /// Waits until the screen contains `text`; false after `timeout` seconds.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if capture().contains(text) { return true }
            usleep(100_000)
        }
        return false
    }

    func resize(_ width: Int, _ height: Int) { tmux(["resize-window", "-t", "e", "-x", "\(width)", "-y", "\(height)"]) }

    /// The PID of slcfg in the pane.
    func slcfgPID() -> Int32? {
        let shell = tmux(["list-panes", "-t", "e", "-F", "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let shellPID = Int32(shell) else { return nil }
        // The shell's child named slcfg, found through /proc.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.first { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == shellPID && stat.contains("(slcfg)")
        }
    }

    deinit { tmux(["kill-server"]) }
}

private let spectralink = "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n<polycomConfig>\r\n\t<device device.set=\"1\">\r\n\t\t<WPA2Enterprise.PEAP\r\n\t\t\tdevice.sec.tls.customCaCert1=\"\"\r\n\t\t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n\t\t\tdevice.sec.TLS.customCaCert2=\"\"\r\n\t\t\tdevice.sec.TLS.customCaCert2.set=\"0\"\r\n\t\t/>\r\n\t</device>\r\n</polycomConfig>\r\n"

private let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

@Suite("The editor in tmux", .enabled(if: tmuxAvailable), .serialized)
struct EditorTmuxTests {
    /// s, y, q: the review, the write of wireless.cfg and the exit, each waited for.
    func saveAndQuit(_ tmux: Tmux) throws {
        tmux.keys("s")
        try #require(tmux.waitFor("Review the changes"), "\(tmux.capture())")
        tmux.keys("y")
        try #require(tmux.waitFor("saved wireless.cfg"), "\(tmux.capture())")
        tmux.keys("q")
        try #require(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
    }

    func fixture() -> (Tmux, URL) {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array(spectralink.utf8), to: file)
        return (Tmux(directory: dir), file)
    }

    @Test("Tab Tab, paste a certificate, n, s, y, q: slot 2 holds it as one line of base64 with .set=1, nothing else changed")
    func pasteSaveQuit() throws {
        let (tmux, file) = fixture()
        let pki = TestPKI.shared
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Tab")
        try #require(tmux.waitFor("› ") )
        tmux.paste(pki.leaf.pem + pki.intermediate.pem + pki.root.pem)
        try #require(tmux.waitFor("Use Platform CA 2 for (8)02.1X, (p)rovisioning, (b)oth, (n)either?"), "\(tmux.capture())")
        tmux.keys("n")
        try #require(tmux.waitFor("imported 'Test Root CA' into Platform CA 2"), "\(tmux.capture())")
        try saveAndQuit(tmux)
        let base64 = Data(pki.root.der).base64EncodedString()
        #expect(String(decoding: contents(file), as: UTF8.self) == spectralink
            .replacingOccurrences(of: "customCaCert2=\"\"", with: "customCaCert2=\"\(base64)\"")
            .replacingOccurrences(of: "customCaCert2.set=\"0\"", with: "customCaCert2.set=\"1\""))
    }

    @Test("In the Wi-Fi menus, a new SSID typed and EAP-TLS picked from the list are saved, nothing else changed")
    func wifiEdit() throws {
        let dir = temporaryDirectory()
        let text = "<polycomConfig>\n  <device device.set=\"1\" device.wifi.ssid=\"Old-Net\" device.wifi.ssid.set=\"1\"\n"
            + "    device.wifi.securityMode=\"WPA2-Enterprise\" device.wifi.securityMode.set=\"1\"\n"
            + "    device.wifi.wpa2Ent.method=\"PEAP-MSCHAPv2\" device.wifi.wpa2Ent.method.set=\"1\"/>\n</polycomConfig>\n"
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array(text.utf8), to: file)
        let tmux = Tmux(directory: dir)
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("/")
        tmux.keys("-l", "SSID")
        tmux.keys("Enter")
        try #require(tmux.waitFor("SSID · device.wifi.ssid"), "\(tmux.capture())")
        tmux.keys("Enter")
        tmux.keys("C-u")
        tmux.keys("-l", "Corp-Voice-5G")
        tmux.keys("Enter")
        try #require(tmux.waitFor("Corp-Voice-5G"), "\(tmux.capture())")
        tmux.keys("/")
        tmux.keys("-l", "EAP Method")
        tmux.keys("Enter")
        try #require(tmux.waitFor("EAP Method · device.wifi.wpa2Ent.method"), "\(tmux.capture())")
        tmux.keys("Enter")
        try #require(tmux.waitFor("Choose a value"), "\(tmux.capture())")
        tmux.keys("Down")
        tmux.keys("Enter")
        try #require(tmux.waitFor("EAP-TLS"), "\(tmux.capture())")
        try saveAndQuit(tmux)
        #expect(String(decoding: contents(file), as: UTF8.self) == text
            .replacingOccurrences(of: "\"Old-Net\"", with: "\"Corp-Voice-5G\"")
            .replacingOccurrences(of: "\"PEAP-MSCHAPv2\"", with: "\"EAP-TLS\""))
    }

    @Test("After a paste, 8 makes 802.1X use the slot: the saved file is byte for byte what cert import --for wlan writes")
    func purposeQuestion() throws {
        let (tmux, file) = fixture()
        let pki = TestPKI.shared
        let cli = file.deletingLastPathComponent().appendingPathComponent("cli.cfg")
        write(Array(spectralink.utf8), to: cli)
        write(Array(pki.root.pem.utf8), to: file.deletingLastPathComponent().appendingPathComponent("root.pem"))
        let imported = slcfg(["cert", "import", "cli.cfg", "--slot", "2", "--for", "wlan", "root.pem"],
                             in: file.deletingLastPathComponent())
        try #require(imported.status == 0, "\(imported.stderr)")
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Tab")
        try #require(tmux.waitFor("› "))
        tmux.paste(pki.root.pem)
        try #require(tmux.waitFor("Use Platform CA 2 for"), "\(tmux.capture())")
        tmux.keys("8")
        try #require(tmux.waitFor("802.1X now uses it (Platform Profile 2)"), "\(tmux.capture())")
        try saveAndQuit(tmux)
        #expect(contents(file) == contents(cli))
    }

    @Test("i on a device slot with a .pfx asks its passphrase masked, imports certificate and key, and saves them")
    func pfxImport() throws {
        let (tmux, file) = fixture()
        let pki = TestPKI.shared
        let dir = file.deletingLastPathComponent()
        write(Array(pki.leaf.pem.utf8), to: dir.appendingPathComponent("c.pem"))
        write(Array(pki.leaf.keyPEM.utf8), to: dir.appendingPathComponent("k.pem"))
        TestPKI.openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-out", "d.pfx", "-passout",
                         "pass:s3cret"], in: dir)
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Tab", "Tab", "i")
        try #require(tmux.waitFor("Certificate file"), "\(tmux.capture())")
        tmux.keys("-l", "d.pfx")
        tmux.keys("Enter")
        try #require(tmux.waitFor("Passphrase of d.pfx (Ctrl-R shows, Esc cancels):"), "\(tmux.capture())")
        tmux.keys("-l", "s3cret")
        try #require(tmux.waitFor("******"), "\(tmux.capture())")
        #expect(!tmux.capture().contains("s3cret"))
        tmux.keys("Enter")
        try #require(tmux.waitFor("Use Device certificate 1 for (8)02.1X"), "\(tmux.capture())")
        tmux.keys("8")
        try #require(tmux.waitFor("with its key into Device certificate 1; the profile 802.1X"), "\(tmux.capture())")
        try saveAndQuit(tmux)
        let get = slcfg(["get", "wireless.cfg", "device.sec.TLS.customDeviceCert1.publicCert"], in: dir)
        write(Array(get.stdout.utf8), to: dir.appendingPathComponent("stored.pem"))
        TestPKI.openssl(["x509", "-in", "stored.pem", "-outform", "DER", "-out", "stored.der"], in: dir)
        #expect(contents(dir.appendingPathComponent("stored.der")) == pki.leaf.der)
        #expect(slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir).stdout.contains("device-key") == false)
        #expect(slcfg(["get", "wireless.cfg", "device.sec.TLS.profile.deviceCert1"], in: dir).stdout == "Platform1\n")
    }

    @Test("Someone else changes the file while it is edited: s asks, m merges both changes, the review and y write them")
    func mergeOnSave() throws {
        let (tmux, file) = fixture()
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"), "\(tmux.capture())")
        let theirs = spectralink.replacingOccurrences(of: "customCaCert2.set=\"0\"", with: "customCaCert2.set=\"1\"")
        write(Array(theirs.utf8), to: file)
        tmux.keys("s")
        try #require(tmux.waitFor("The file changed on disk: (o)verwrite (m)erge (r)eload"), "\(tmux.capture())")
        tmux.keys("m")
        try #require(tmux.waitFor("Review the changes"), "\(tmux.capture())")
        tmux.keys("y")
        try #require(tmux.waitFor("saved wireless.cfg"), "\(tmux.capture())")
        tmux.keys("q")
        try #require(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
        #expect(String(decoding: contents(file), as: UTF8.self)
            == theirs.replacingOccurrences(of: "customCaCert1.set=\"0\"", with: "customCaCert1.set=\"1\""))
    }

    @Test("The sample saved as an existing wireless.cfg asks before overwriting; n keeps 'precious data'; y shows the diff against it")
    func sampleOverwrite() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array("precious data\n".utf8), to: file)
        let tmux = Tmux(directory: dir)
        tmux.start([])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Space", "s")
        try #require(tmux.waitFor("Save as: wireless.cfg"), "\(tmux.capture())")
        tmux.keys("Enter")
        try #require(tmux.waitFor("wireless.cfg exists (14 bytes, modified "), "\(tmux.capture())")
        #expect(tmux.capture().contains("): overwrite? (y/n)"))
        tmux.keys("n")
        try #require(tmux.waitFor("Save as: wireless.cfg"), "\(tmux.capture())")
        tmux.keys("Enter")
        try #require(tmux.waitFor("overwrite? (y/n)"), "\(tmux.capture())")
        tmux.keys("y")
        try #require(tmux.waitFor("-precious data"), "\(tmux.capture())")
        tmux.keys("n", "q", "n")
        try #require(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
        #expect(contents(file) == Array("precious data\n".utf8))
    }

    @Test("slcfg PATH for a file that does not exist opens a new file, says so, and the save creates it")
    func newFile() throws {
        let dir = temporaryDirectory()
        let tmux = Tmux(directory: dir)
        tmux.start(["site-a.cfg"])
        try #require(tmux.waitFor("site-a.cfg does not exist: a new file, created when you save"), "\(tmux.capture())")
        tmux.keys("s")
        try #require(tmux.waitFor("Create site-a.cfg?"), "\(tmux.capture())")
        tmux.keys("y")
        try #require(tmux.waitFor("saved site-a.cfg"), "\(tmux.capture())")
        tmux.keys("q")
        try #require(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
        #expect(String(decoding: contents(dir.appendingPathComponent("site-a.cfg")), as: UTF8.self) == "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<polycomConfig>\n  <device device.set=\"1\">\n  </device>\n</polycomConfig>\n")
    }

    @Test("q with unsaved changes asks; n quits without writing")
    func unsavedQuestion() throws {
        let (tmux, file) = fixture()
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"))
        tmux.keys("q")
        try #require(tmux.waitFor("Save changes? (y)es (n)o (w) save as (c)ancel"))
        tmux.keys("c")
        try #require(tmux.waitFor("Tab slot"))
        tmux.keys("q")
        try #require(tmux.waitFor("Save changes?"))
        tmux.keys("n")
        try #require(tmux.waitFor("EXIT=0"))
        #expect(contents(file) == Array(spectralink.utf8))
    }

    @Test("A resize to 30x8 says the terminal is too small; growing back restores the editor")
    func resize() throws {
        let (tmux, _) = fixture()
        tmux.start(["wireless.cfg"], width: 80, height: 24)
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.resize(30, 8)
        try #require(tmux.waitFor("terminal too small"), "\(tmux.capture())")
        tmux.resize(80, 24)
        try #require(tmux.waitFor("Custom CA Certificates"), "\(tmux.capture())")
        for _ in 0..<20 { tmux.resize(40 + Int.random(in: 0...60), 10 + Int.random(in: 0...20)) }
        tmux.resize(80, 24)
        try #require(tmux.waitFor("Custom CA Certificates"))
        // The screen may still show an earlier large frame while a small size from the storm is
        // pending, and keys behind "too small" are ignored: q until the editor, back at 80x24, quits.
        var quit = false
        for _ in 0..<10 where !quit {
            tmux.keys("q")
            quit = tmux.waitFor("EXIT=0", timeout: 2)
        }
        #expect(quit, "\(tmux.capture())")
    }

    @Test("NO_COLOR=1 keeps the interface and drops the colours")
    func noColour() throws {
        func colourCodes(_ screen: String) -> Int {
            var count = 0
            var rest = Substring(screen)
            while let start = rest.range(of: "\u{1B}[") {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "m") else { break }
                let codes = rest[..<end].split(separator: ";").compactMap { Int($0) }
                count += codes.filter { ((30...48).contains($0) && $0 != 39) || (90...107).contains($0) }.count
                rest = rest[end...]
            }
            return count
        }
        let (coloured, _) = fixture()
        coloured.start(["wireless.cfg"])
        try #require(coloured.waitFor("Custom CA Certificates"))
        let colouredScreen = coloured.capture(escapes: true)
        #expect(colourCodes(colouredScreen) > 0, "\(colouredScreen.debugDescription.prefix(300))")
        let (plain, _) = fixture()
        plain.start(["wireless.cfg"], environment: "NO_COLOR=1")
        try #require(plain.waitFor("Custom CA Certificates"))
        let screen = plain.capture(escapes: true)
        #expect(colourCodes(screen) == 0)
        #expect(screen.contains("\u{1B}[7m") || screen.contains(";7m"), "the selection and title keep reverse video")
    }

    @Test("SIGINT, SIGTERM and SIGHUP restore the terminal and exit 130, 143, 129",
          arguments: [(SIGINT, 130), (SIGTERM, 143), (SIGHUP, 129)])
    func signals(signal: Int32, status: Int) throws {
        let (tmux, file) = fixture()
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"))
        let pid = try #require(tmux.slcfgPID())
        kill(pid, signal)
        try #require(tmux.waitFor("EXIT=\(status)"), "\(tmux.capture())")
        #expect(contents(file) == Array(spectralink.utf8), "nothing is written on a signal")
        #expect(!tmux.capture().contains("Custom CA Certificates"), "the editor's screen is gone (alternate screen left)")
    }
}
