import Foundation

/// Facts about the machine that go into `NodeSystemInfo`, read once. Any that cannot be read is
/// the empty string (e.g. `systemUUID` needs root).
public struct HostInfo: Sendable, Hashable {
    public var machineID: String
    public var systemUUID: String
    public var bootID: String
    public var kernelVersion: String
    public var osImage: String
    /// `linux` on Linux.
    public var operatingSystem: String
    /// GOARCH naming: `amd64`, `arm64`, ...
    public var architecture: String

    public init(
        machineID: String = "", systemUUID: String = "", bootID: String = "", kernelVersion: String = "",
        osImage: String = "", operatingSystem: String = "linux", architecture: String = HostInfo.goArchitecture
    ) {
        self.machineID = machineID
        self.systemUUID = systemUUID
        self.bootID = bootID
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.operatingSystem = operatingSystem
        self.architecture = architecture
    }

    /// This machine's facts: /etc/machine-id, /sys/class/dmi/id/product_uuid,
    /// /proc/sys/kernel/random/boot_id, uname's release, /etc/os-release's PRETTY_NAME.
    public static func current() -> HostInfo {
        HostInfo(
            machineID: firstLine("/etc/machine-id"),
            systemUUID: firstLine("/sys/class/dmi/id/product_uuid"),
            bootID: firstLine("/proc/sys/kernel/random/boot_id"),
            kernelVersion: kernelRelease(),
            osImage: osImage(),
            operatingSystem: operatingSystemName)
    }

    /// The architecture this binary was built for, named as Go names it.
    public static var goArchitecture: String {
        #if arch(x86_64)
            return "amd64"
        #elseif arch(arm64)
            return "arm64"
        #elseif arch(arm)
            return "arm"
        #elseif arch(i386)
            return "386"
        #elseif arch(s390x)
            return "s390x"
        #elseif arch(powerpc64le)
            return "ppc64le"
        #else
            return "unknown"
        #endif
    }

    private static var operatingSystemName: String {
        #if os(Linux)
            return "linux"
        #elseif os(macOS)
            return "darwin"
        #else
            return "unknown"
        #endif
    }

    private static func firstLine(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    private static func kernelRelease() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "" }
        return withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func osImage() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return "" }
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("PRETTY_NAME=") {
            var value = line.dropFirst("PRETTY_NAME=".count)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return ""
    }
}
