/// Aligns tab-separated cells into columns exactly as Go's `text/tabwriter` does with a space
/// pad character and no flags: a column block is a run of consecutive lines that have a cell
/// terminated by a tab in that column; its width is the widest cell plus `padding`, at least
/// `minWidth`. The text after a line's last tab belongs to no column and is never padded.
public struct TabWriter: Sendable {
    /// The minimal width of a column, padding included.
    public var minWidth: Int
    /// Spaces added to the widest cell of a column.
    public var padding: Int

    public init(minWidth: Int, padding: Int) {
        self.minWidth = minWidth
        self.padding = padding
    }

    /// kubectl's table printer (`get`): `tabwriter.NewWriter(out, 6, 4, 3, ' ', 0)`.
    public static let kubectlTable = TabWriter(minWidth: 6, padding: 3)
    /// kubectl's describers: `tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`.
    public static let kubectlDescribe = TabWriter(minWidth: 0, padding: 2)

    /// Aligns `text`: lines end with `\n`, cells with `\t`.
    public func format(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        var formatter = Formatter(lines: lines, minWidth: minWidth, padding: padding)
        formatter.format(0, lines.count)
        return formatter.out
    }

    /// Aligns rows of cells: every cell but a row's last is tab-terminated; rows end with `\n`.
    public func format(rows: [[String]]) -> String {
        format(rows.map { $0.joined(separator: "\t") + "\n" }.joined())
    }

    private struct Formatter {
        let lines: [[String]]
        let minWidth: Int
        let padding: Int
        var widths: [Int] = []
        var out = ""

        init(lines: [[String]], minWidth: Int, padding: Int) {
            self.lines = lines
            self.minWidth = minWidth
            self.padding = padding
        }

        // Go's (*Writer).format: find column blocks in [line0, line1) at depth widths.count.
        mutating func format(_ start: Int, _ line1: Int) {
            var line0 = start
            let column = widths.count
            var this = line0
            while this < line1 {
                if column >= lines[this].count - 1 {
                    this += 1
                    continue
                }
                writeLines(line0, this)
                line0 = this
                var width = minWidth
                while this < line1 {
                    let line = lines[this]
                    if column >= line.count - 1 { break }
                    width = max(width, line[column].count + padding)
                    this += 1
                }
                widths.append(width)
                format(line0, this)
                widths.removeLast()
                line0 = this
            }
            writeLines(line0, line1)
        }

        mutating func writeLines(_ line0: Int, _ line1: Int) {
            guard line0 < line1 else { return }
            for i in line0..<line1 {
                for (j, cell) in lines[i].enumerated() {
                    out += cell
                    if j < widths.count {
                        out += String(repeating: " ", count: max(0, widths[j] - cell.count))
                    }
                }
                if i + 1 < lines.count { out += "\n" }
            }
        }
    }
}
