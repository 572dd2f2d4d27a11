import Foundation

/// Where `inplacectl` looks for the status socket when `--socket` is not given.
public enum SocketLocator {
    /// The daemon's socket under systemd.
    public static let systemPath = "/run/inplaced/inplaced.sock"
    /// The daemon's socket when run by a user in a working directory (state in `./.inplaced/`).
    public static let localPath = "./.inplaced/inplaced.sock"

    /// `$INPLACED_SOCKET` when set and non-empty, else `./.inplaced/inplaced.sock` when that
    /// file or its directory `./.inplaced` exists (a daemon run here, perhaps stopped), else
    /// `/run/inplaced/inplaced.sock`.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - fileExists: tells whether a path exists (relative paths from the working directory).
    public static func defaultPath(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) -> String {
        if let fromEnv = environment["INPLACED_SOCKET"], !fromEnv.isEmpty { return fromEnv }
        if fileExists(localPath) || fileExists("./.inplaced") { return localPath }
        return systemPath
    }
}
