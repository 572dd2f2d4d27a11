import Foundation

/// One entry of an in-place update's history (`InPlaceUpdateRecord.historyJSON` is a JSON array of these):
/// `{"step":"Grace","time":"2025-01-02T03:04:05.678Z","message":"..."}`; `message` is omitted when nil.
/// `time` is RFC 3339 in UTC with milliseconds.
public struct UpdateHistoryEntry: Sendable, Hashable, Codable {
    /// An `UpdateStep` raw value.
    public var step: String
    /// When the step was entered (millisecond precision once encoded).
    public var time: Date
    public var message: String?

    public init(step: String, time: Date, message: String? = nil) {
        self.step = step
        self.time = time
        self.message = message
    }

    private enum CodingKeys: String, CodingKey { case step, time, message }

    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        step = try container.decode(String.self, forKey: .step)
        let text = try container.decode(String.self, forKey: .time)
        if let time = try? Self.timeStyle.parse(text) {
            self.time = time
        } else if let time = try? Date.ISO8601FormatStyle().parse(text) {
            self.time = time
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .time, in: container, debugDescription: "not an RFC 3339 time: \(text)")
        }
        message = try container.decodeIfPresent(String.self, forKey: .message)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step, forKey: .step)
        try container.encode(Self.timeStyle.format(time), forKey: .time)
        try container.encodeIfPresent(message, forKey: .message)
    }
}
