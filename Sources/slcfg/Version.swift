/// slcfg's version: the one place it is defined (`slcfg --version`, the man page).
/// Raise it in the commit that changes what a user sees: the minor number for new commands,
/// options or rules, the patch number for fixes (see README, "Install").
enum Version {
    static let current = "0.7.0"
}
