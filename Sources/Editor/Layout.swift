/// Where things go on a screen of a given size (shared by `update`, for paging, and the renderer).
public struct Layout: Equatable, Sendable {
    /// The smallest screen the editor draws on.
    public static let minimumWidth = 60
    public static let minimumHeight = 15

    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Whether the screen is too small to draw the editor.
    public var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
    /// The first row of the list.
    public var listTop: Int { 2 }
    /// The details pane's height.
    public var detailsHeight: Int { max(5, (height - 4) / 3) }
    /// The list's height.
    public var listHeight: Int { max(1, height - 4 - detailsHeight) }
    /// The line between list and details.
    public var separatorRow: Int { listTop + listHeight }
    /// The first row of the details pane.
    public var detailsTop: Int { separatorRow + 1 }
    /// The status line.
    public var statusRow: Int { height - 1 }
}
