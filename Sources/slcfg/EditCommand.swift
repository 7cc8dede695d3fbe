import ArgumentParser
import CfgDocument
import Editor

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Open a file in the editor (no file: the built-in sample wireless.cfg).",
        discussion: "Until the full-screen editor exists, prints the file's parameters.")

    @Argument(help: "The configuration file; none opens the built-in sample.")
    var file: String?

    func run() throws {
        var params = ParamsCommand()
        if let file {
            params.files = [file]
            try params.run()
        } else {
            let document = CfgDocument(Sample.text)
            var out = Output(fd: 1)
            for i in 0..<document.parameterCount {
                out.write("\(document.name(i))=\(document.value(i))\n")
            }
            out.flush()
        }
    }
}
