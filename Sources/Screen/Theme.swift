import Foundation
import TOMLKit

/// How a role looks: colours (names; nil is the terminal's default) and attributes.
public struct Style: Equatable, Sendable {
    public var foreground: String?
    public var background: String?
    public var bold = false
    public var underline = false
    public var reverse = false
    public var dim = false

    public init(
        foreground: String? = nil, background: String? = nil, bold: Bool = false, underline: Bool = false,
        reverse: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }
}

/// A theme: a style for every role, read from TOML.
public struct Theme: Equatable, Sendable {
    /// The theme's name.
    public var name: String
    /// The style of each role (roles a theme leaves out look plain).
    public var styles: [Role: Style]

    /// The colour names a theme may use.
    public static let colours = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Reads a theme from TOML text; `source` names it in errors.
    public init(toml: String, source: String) throws(ThemeError) {
        let table: TOMLTable
        do { table = try TOMLTable(string: toml) } catch {
            throw ThemeError("\(source): not valid TOML: \(error)")
        }
        name = table["name"]?.string ?? source
        styles = [:]
        guard let roles = table["roles"]?.table else { throw ThemeError("\(source): no [roles.NAME] tables") }
        for key in roles.keys {
            guard let role = Role(rawValue: key) else {
                throw ThemeError(
                    "\(source): unknown role '\(key)'; roles are "
                        + "\(Role.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard let entry = roles[key]?.table else { throw ThemeError("\(source): [roles.\(key)] must be a table") }
            var style = Style()
            for colourKey in ["fg", "bg"] {
                guard let value = entry[colourKey] else { continue }
                guard let colour = value.string, colour == "default" || Self.colourIndex(colour) != nil else {
                    throw ThemeError(
                        "\(source): roles.\(key).\(colourKey) must be one of \(Self.colours.joined(separator: ", ")), "
                            + "default, or bright-NAME"
                    )
                }
                if colourKey == "fg" {
                    style.foreground = colour == "default" ? nil : colour
                } else {
                    style.background = colour == "default" ? nil : colour
                }
            }
            style.bold = entry["bold"]?.bool ?? false
            style.underline = entry["underline"]?.bool ?? false
            style.reverse = entry["reverse"]?.bool ?? false
            style.dim = entry["dim"]?.bool ?? false
            styles[role] = style
        }
    }

    /// The style of a role.
    public func style(_ role: Role) -> Style { styles[role] ?? Style() }

    /// The curses colour number of a colour name (0-7, 8-15 for bright-NAME), nil if unknown.
    public static func colourIndex(_ name: String) -> Int? {
        if name.hasPrefix("bright-"), let base = colours.firstIndex(of: String(name.dropFirst(7))) { return base + 8 }
        return colours.firstIndex(of: name)
    }

    /// The built-in themes, in cycling order: default, light, high-contrast, mono.
    public static let builtin: [Theme] = builtinSources.map { try! Theme(toml: $0.toml, source: $0.name) }

    /// Finds a theme by name or path: a file path, else `$XDG_CONFIG_HOME/slcfg/themes/NAME.toml`
    /// (or `~/.config/...`), else a built-in theme.
    public static func load(_ nameOrPath: String, environment: [String: String]) throws(ThemeError) -> Theme {
        var candidates: [String] = []
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { candidates.append(nameOrPath) }
        let config =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { "\($0)/.config" }
        if let config { candidates.append("\(config)/slcfg/themes/\(nameOrPath).toml") }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ThemeError("\(path): cannot be read")
            }
            return try Theme(toml: String(decoding: data, as: UTF8.self), source: path)
        }
        if let theme = builtin.first(where: { $0.name == nameOrPath }) { return theme }
        throw ThemeError(
            "no theme '\(nameOrPath)': built-in themes are \(builtin.map(\.name).joined(separator: ", ")); or give a "
                + "path to a .toml file"
        )
    }
}

/// A theme that cannot be used, and why.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
