import Foundation
import PodAPI

/// What a command prints: `stdout`, and notes for `stderr` (kubectl's `No resources found`).
public struct CommandOutput: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public init(stdout: String, stderr: String = "") {
        self.stdout = stdout
        self.stderr = stderr
    }
}
