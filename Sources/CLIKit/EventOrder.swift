import Foundation
import PodAPI

/// kubectl's `SortableEvents`: by `lastTimestamp`, stable.
enum EventOrder {
    static func sorted(_ events: [Event]) -> [Event] {
        events.enumerated().sorted { a, b in
            a.element.lastTimestamp == b.element.lastTimestamp
                ? a.offset < b.offset : a.element.lastTimestamp < b.element.lastTimestamp
        }.map(\.element)
    }
}
