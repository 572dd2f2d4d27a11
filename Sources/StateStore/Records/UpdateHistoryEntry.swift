import Foundation

/// One entry of an in-place update's history (`InPlaceUpdateRecord.history`, stored as a JSON array of these):
/// `{"step":"Grace","time":786348245.678,"message":"..."}`; `message` is omitted when nil. `time`
/// is seconds since 2001-01-01T00:00:00Z, as every date of the store, so it reads back exactly;
/// the RFC 3339 strings (milliseconds) that schema v1 wrote are read too.
public struct UpdateHistoryEntry: Sendable, Hashable, Codable {
    public var step: UpdateStep
    /// When the step was entered.
    public var time: Date
    public var message: String?

    public init(step: UpdateStep, time: Date, message: String? = nil) {
        self.step = step
        self.time = time
        self.message = message
    }

    private enum CodingKeys: String, CodingKey { case step, time, message }

    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try container.decode(String.self, forKey: .step)
        guard let step = UpdateStep(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(forKey: .step, in: container, debugDescription: "not a step: \(raw)")
        }
        self.step = step
        if let seconds = try? container.decode(Double.self, forKey: .time) {
            self.time = Date(storeValue: seconds)
            message = try container.decodeIfPresent(String.self, forKey: .message)
            return
        }
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
        try container.encode(step.rawValue, forKey: .step)
        try container.encode(time.storeValue, forKey: .time)
        try container.encodeIfPresent(message, forKey: .message)
    }
}

extension UpdateHistoryEntry {
    /// Decodes the `historyJSON` column; text that is not a list of entries reads as empty.
    static func decodeList(_ json: String) -> [UpdateHistoryEntry] {
        (try? JSONDecoder().decode([UpdateHistoryEntry].self, from: Data(json.utf8))) ?? []
    }

    /// The `historyJSON` column's text.
    static func encodeList(_ entries: [UpdateHistoryEntry]) -> String {
        String(decoding: (try? JSONEncoder().encode(entries)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
