import ContainerRuntime
import Foundation
import PodAPI

/// Why a container's volumes could not be set up: kubelet's `FailedMount` message.
struct VolumeSetupFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
