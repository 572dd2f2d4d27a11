import Foundation

/// Turns the bytes of a manifest file into text, refusing what is not valid Unicode instead of
/// guessing or crashing.
public enum ManifestText {
    /// Decodes `bytes` as UTF-8 (a leading UTF-8 byte order mark is dropped), or as UTF-16 when
    /// the bytes start with a UTF-16 byte order mark (libyaml accepts both).
    ///
    /// - Throws: `ManifestSyntaxError` in libyaml's reader wording with the 1-based line, e.g.
    ///   `yaml: line 3: invalid leading UTF-8 octet (0xff at byte 41)`; `prefix` replaces `yaml`
    ///   for JSON files.
    public static func decode(_ bytes: [UInt8], prefix: String = "yaml") throws -> String {
        if bytes.count >= 2 && ((bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE)) {
            let data = Data(bytes)
            let enc: String.Encoding = bytes[0] == 0xFE ? .utf16BigEndian : .utf16LittleEndian
            guard bytes.count % 2 == 0, let s = String(data: data.dropFirst(2), encoding: enc) else {
                throw ManifestSyntaxError(message: "\(prefix): invalid UTF-16 text (unpaired surrogate or odd length)", line: nil)
            }
            return s
        }
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        if let (offset, problem) = firstUTF8Problem(bytes, from: start) {
            let line = 1 + bytes[start..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let hex = String(bytes[offset], radix: 16)
            throw ManifestSyntaxError(
                message: "\(prefix): line \(line): \(problem) (0x\(hex.count == 1 ? "0" + hex : hex) at byte \(offset))", line: line)
        }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    /// The byte offset and libyaml's description of the first invalid UTF-8 sequence, if any.
    static func firstUTF8Problem(_ b: [UInt8], from start: Int) -> (Int, String)? {
        var i = start
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            let width: Int
            let minValue: UInt32
            var value: UInt32
            if c & 0xE0 == 0xC0 {
                width = 2
                minValue = 0x80
                value = UInt32(c & 0x1F)
            } else if c & 0xF0 == 0xE0 {
                width = 3
                minValue = 0x800
                value = UInt32(c & 0x0F)
            } else if c & 0xF8 == 0xF0 {
                width = 4
                minValue = 0x10000
                value = UInt32(c & 0x07)
            } else {
                return (i, "invalid leading UTF-8 octet")
            }
            if i + width > n { return (i, "incomplete UTF-8 octet sequence") }
            for k in 1..<width {
                let t = b[i + k]
                if t & 0xC0 != 0x80 { return (i, "invalid trailing UTF-8 octet") }
                value = (value << 6) | UInt32(t & 0x3F)
            }
            if value < minValue { return (i, "invalid length of a UTF-8 sequence") }
            if value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return (i, "invalid Unicode character") }
            i += width
        }
        return nil
    }
}
