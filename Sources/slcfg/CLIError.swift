/// A failure the command reports in one line before exiting with `code`.
struct CLIError: Error {
    var message: String
    var code: Int32 = 2
}
