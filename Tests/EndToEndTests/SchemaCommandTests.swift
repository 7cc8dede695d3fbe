// The firmware schema from the command line: found beside the files or given with --schema, used by lint, show,
// get and set; one that cannot be used is named in one line and the run goes on without it.
import Foundation
import Testing
import TestSupport

private let schemaFile = Samples.schemaFile
private let wireless = """
    <polycomConfig device.set="1" device.prov.redunInterAttemptDelay="900" \
    device.prov.redunInterAttemptDelay.set="1"/>

    """
private let outside = "wireless.cfg:1:31: error: 900 is outside 0–300 for device.prov.redunInterAttemptDelay "
    + "(polycomConfig.xsd; empty is allowed too) [value]\n"

/// A directory holding wireless.cfg, and the test schema at `schemaPath` inside it when given.
private func directory(schemaAt schemaPath: String? = nil, schema: Data? = nil) throws -> URL {
    let dir = temporaryDirectory()
    try Data(wireless.utf8).write(to: dir.appendingPathComponent("wireless.cfg"))
    if let schemaPath {
        let target = dir.appendingPathComponent(schemaPath)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (schema ?? Data(contentsOf: schemaFile)).write(to: target)
    }
    return dir
}

@Suite("The firmware schema on the command line")
struct SchemaCommandTests {
    @Test("A polycomConfig.xsd beside the file, or in Config/, is used without --schema",
          arguments: ["polycomConfig.xsd", "Config/polycomConfig.xsd"])
    func found(place: String) throws {
        let dir = try directory(schemaAt: place)
        let lint = slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir)
        #expect(lint.stdout == outside)
        #expect(lint.status == 1)
    }

    @Test("--schema FILE is used for lint and show; without a schema the value is not checked")
    func given() throws {
        let dir = try directory()
        #expect(slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir).stdout == "")
        let lint = slcfg(["lint", "wireless.cfg", "--format", "gcc", "--schema", schemaFile.path], in: dir)
        #expect(lint.stdout == outside)
        _ = slcfg(["set", "wireless.cfg", "device.prov.serverType=HTTP"], in: dir)
        let show = slcfg(["show", "wireless.cfg", "--schema", schemaFile.path], in: dir)
        #expect(show.stdout.contains("error: \"HTTP\" is not a value polycomConfig.xsd allows for "
            + "device.prov.serverType: 0, FTP, 3, HTTPS, 4, FTPS, (empty)"))
    }

    @Test("set warns of a value outside the schema's type and of an unknown name, and still sets them")
    func set() throws {
        let dir = try directory(schemaAt: "polycomConfig.xsd")
        let result = slcfg(["set", "wireless.cfg", "device.prov.serverType=HTTP", "up.newTimeDisplai=1"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == """
            wireless.cfg: warning: "HTTP" is not a value polycomConfig.xsd allows for device.prov.serverType: 0, \
            FTP, 3, HTTPS, 4, FTPS, (empty)
            wireless.cfg: warning: up.newTimeDisplai is not a parameter the handset knows, so it ignores it; did you \
            mean up.newTimeDisplay?

            """)
    }

    @Test("A malformed schema beside the file is named once in one line, and lint goes on without it")
    func malformed() throws {
        let dir = try directory(schemaAt: "polycomConfig.xsd", schema: Data("<xsd:schema>\n<xsd:attribute".utf8))
        let lint = slcfg(["lint", "wireless.cfg", "wireless.cfg", "--format", "gcc"], in: dir)
        #expect(lint.stdout == "")
        #expect(lint.status == 0)
        #expect(lint.stderr == "slcfg: warning: polycomConfig.xsd:1:1: element <xsd:schema> is never closed: not "
            + "well-formed XML; the schema was not used\n")
    }

    @Test("A schema beside the files larger than 64 MB is not read: named once, and lint goes on")
    func tooLarge() throws {
        let dir = try directory(schemaAt: "polycomConfig.xsd", schema: Data())
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent("polycomConfig.xsd"))
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
        let lint = slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir)
        #expect(lint.stdout == "")
        #expect(lint.stderr == "slcfg: warning: polycomConfig.xsd: 65 MB is too large for a firmware schema; the "
            + "schema was not used\n")
    }

    @Test("A --schema that cannot be read stops the command with exit status 2")
    func unreadable() throws {
        let dir = try directory()
        let lint = slcfg(["lint", "wireless.cfg", "--schema", "missing.xsd"], in: dir)
        #expect(lint.status == 2)
        #expect(lint.stderr == "slcfg: --schema missing.xsd: cannot read the file\n")
    }
}
