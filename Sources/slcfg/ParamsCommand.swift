import ArgumentParser
import CfgDocument

struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params",
        abstract: "List every parameter with its file, line, column, element path, name and value.",
        discussion: "Text output is one parameter a line, tab-separated: FILE:LINE:COL, PATH, NAME, VALUE (newlines in values shown as \\n).")

    @Argument(help: "Configuration files ('-' for standard input).")
    var files: [String]

    @Flag(help: "Print a JSON array of {file, line, column, path, name, value}.")
    var json = false

    func run() throws {
        var out = Output(fd: 1)
        var first = true
        if json { out.write("[") }
        for file in files {
            let loaded = try LoadedFile.load(file)
            let document = loaded.document
            let lines = LineIndex(document.bytes)
            var cursor = LocationCursor(lines)
            var paths: [Int32: [UInt8]] = [:]
            var fileJSON: [UInt8] = []
            JSON.appendString(file, to: &fileJSON)
            var record: [UInt8] = []
            for i in 0..<document.parameterCount {
                let attribute = document.attributes[i]
                let (line, column) = cursor.location(of: attribute.nameRange.lowerBound)
                let path: [UInt8]
                if let cached = paths[attribute.node] {
                    path = cached
                } else {
                    path = Array(document.elementPath(i).joined(separator: "/").utf8)
                    paths[attribute.node] = path
                }
                record.removeAll(keepingCapacity: true)
                if json {
                    record += Array((first ? "\n{\"file\":" : ",\n{\"file\":").utf8)
                    record += fileJSON
                    record += Array(",\"line\":\(line),\"column\":\(column),\"path\":".utf8)
                    JSON.appendString(path, to: &record)
                    record += Array(",\"name\":".utf8)
                    JSON.appendString(document.nameBytes(i), to: &record)
                    record += Array(",\"value\":".utf8)
                    JSON.appendString(document.valueBytes(i), to: &record)
                    record.append(UInt8(ascii: "}"))
                } else {
                    record += Array("\(file):\(line):\(column)\t".utf8)
                    record += path
                    record.append(9)
                    record += document.nameBytes(i)
                    record.append(9)
                    record += oneLine(document.valueBytes(i))
                    record.append(10)
                }
                first = false
                out.write(bytes: record)
            }
        }
        if json { out.write(first ? "]\n" : "\n]\n") }
        out.flush()
    }
}
