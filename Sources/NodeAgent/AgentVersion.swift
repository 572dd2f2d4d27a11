import Foundation
import PodAPI

/// The agent's version string.
public enum AgentVersion {
    public static let current = "0.1.0"
}
