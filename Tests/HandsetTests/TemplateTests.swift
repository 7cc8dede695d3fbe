// Templates (Smarty, Jinja, Blade, ##X## markers, ${X}): one finding a file; the attributes between directives linted.
import Foundation
import Testing
import TestSupport
import CfgDocument
import Handset

private let now = Date(timeIntervalSince1970: 1_800_000_000)

private func lint(_ text: String) -> [Finding] {
    Linter(now: now).lint(CfgDocument(text))
}

private func message(_ kind: String, _ tail: String) -> String { "a \(kind) template: \(tail)" }

@Suite("Templates")
struct TemplateTests {
    @Test("A Smarty template is one info finding, and a .set left out between its directives is still reported")
    func smarty() {
        let text = """
            <polycomConfig>
              <device device.set="1"
            {if $x}
                device.prov.serverType="3"
            {else}
                device.prov.serverType="4"{/if}
                device.prov.serverName="{$host}"
                device.prov.serverName.set="1"
              />
            </polycomConfig>

            """
        let findings = lint(text)
        #expect(findings.map(\.rule) == ["template", "set-flag", "duplicate", "set-flag"])
        #expect(findings[0] == Finding(
            rule: "template", severity: .info, offset: 41, parameter: nil,
            message: "a Smarty template: 3 directives skipped (the attributes between them are checked as usual), "
                + "1 placeholder in names and values taken as they are", fix: nil))
        #expect(findings[1].parameter == "device.prov.serverType")
        #expect(CfgDocument(text).diagnostics == [])
    }

    @Test("Each language is told by its syntax, and its directives between elements are not text outside the root",
          arguments: [
            ("{# shared #}\n<r a=\"{{ ip }}\"\n  {% if x -%}\n  b=\"1\"\n  {% endif %}/>\n{% endblock %}\n",
             message("Jinja", "4 directives skipped (the attributes between them are checked as usual), "
                + "1 placeholder in names and values taken as they are")),
            ("<r>\n@foreach($lines as $l)\n<reg a=\"{{ $l }}\" b=\"{!! $x !!}\"/>\n@endforeach\n</r>\n",
             message("Blade", "2 directives skipped (the attributes between them are checked as usual), "
                + "2 placeholders in names and values taken as they are")),
            ("<r device.wifi.ssid=\"##Your-SSID##\" b=\"x\"/>\n",
             "a template of ##X## markers: 1 placeholder in names and values taken as they are"),
            ("<r ${PP_EACH_EXTENSION(${MAC},line.xml)} a=\"${SECRET}\"/>\n",
             "a template of ${X} substitutions: 1 directive skipped (the attributes between them are checked as "
                + "usual), 1 placeholder in names and values taken as they are"),
            ("<r\n{$position=$position+1}\n{line_loop}reg.{$line}.label=\"{$name}\"{/line_loop}/>\n",
             message("Smarty", "3 directives skipped (the attributes between them are checked as usual), "
                + "2 placeholders in names and values taken as they are")),
          ])
    func kinds(text: String, expected: String) {
        let findings = lint(text)
        #expect(findings.filter { $0.rule == "template" }.map(\.message) == [expected])
        #expect(findings.filter { $0.rule == "xml" }.map(\.message) == [])
    }

    @Test("Braces in a password, an address with an @ and a comment's {$x} do not make a template")
    func notTemplates() {
        let text = "<!-- made by {$generator} -->\n<r device.prov.password=\"{secret}\" "
            + "device.prov.user=\"admin@if.example.com\" b=\"#1#\"/>\n"
        #expect(lint(text).filter { $0.rule == "template" } == [])
    }

    @Test("A master whose CONFIG_FILES lists placeholders says so once and reads the set without them")
    func masterPlaceholders() throws {
        let files = [
            "p/000000000000.cfg": "<APPLICATION CONFIG_FILES=\"{$mac}_reg.cfg, site.cfg, sip_{$model}.cfg\"/>\n",
            "p/site.cfg": "<r device.set=\"1\"/>\n",
        ]
        let set = try ProvisioningSet.resolve(
            root: "p", isDirectory: true, mac: nil, model: nil,
            files: SetFiles(read: { files[$0].map { Array($0.utf8) } }, realPath: { "/srv/" + $0 }))
        #expect(set.members.map(\.listedName) == ["site.cfg"])
        #expect(set.problems.map(\.rule) == ["template"])
        #expect(set.problems.first?.message == "CONFIG_FILES lists template placeholders ({$mac}_reg.cfg, "
            + "sip_{$model}.cfg): the set is read without them until the template is rendered")
    }

    @Test("The corpus's FusionPBX and Wazo templates give one template finding each and no xml finding",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)),
          arguments: Samples.corpus.filter { $0.name.contains("_mac_") && $0.name.hasPrefix("fusionpbx")
              || $0.name.hasSuffix(".tpl") })
    func corpusTemplates(file: SampleFile) {
        let findings = Linter(now: now).lint(CfgDocument(bytes: file.bytes))
        #expect(findings.filter { $0.rule == "template" }.count == 1, "\(file.name)")
        #expect(findings.filter { $0.rule == "xml" }.map(\.message) == [], "\(file.name)")
    }

    @Test("Every fixture and corpus file has at most one template finding",
          arguments: Samples.fixtures + Samples.corpus)
    func atMostOne(file: SampleFile) {
        let findings = Linter(now: now).lint(CfgDocument(bytes: file.bytes))
        #expect(findings.filter { $0.rule == "template" }.count <= 1, "\(file.name)")
    }
}
