import ContainerRuntime
import Foundation
import PodAPI

/// Why an image could not be made present: kubelet's waiting reason and message.
struct ImagePullFailure: Error, CustomStringConvertible {
    /// `ErrImagePull`, `ErrImageNeverPull` or `InvalidImageName`.
    var reason: String
    var message: String
    var description: String { "\(reason): \(message)" }
}
