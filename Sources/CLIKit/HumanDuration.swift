import Foundation
import PodAPI

/// Ages and intervals as kubectl prints them (apimachinery's `duration.HumanDuration`).
public enum HumanDuration {
    /// `d` seconds in kubectl's words: `0s`..`119s`, `2m`..`9m59s`, `10m`..`179m`, `3h`..`7h59m`,
    /// `8h`..`47h`, `2d`..`7d23h`, `8d`..`729d`, `2y`..`7y364d`, then `8y`; `<invalid>` when more
    /// than a second in the future.
    public static func string(_ d: TimeInterval) -> String {
        let seconds = Int(d)  // Go's int(d.Seconds()) truncates toward zero
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let dy = (hours / 24) % 365
            return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// kubectl's `translateTimestampSince`: the age of `time` at `now`, `<unknown>` when nil.
    public static func since(_ time: Time?, now: Date) -> String {
        guard let time else { return "<unknown>" }
        return string(now.timeIntervalSince(time.date))
    }
}
