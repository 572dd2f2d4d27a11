import Foundation
import Hummingbird
import NodeAgent
import PodAPI

/// The body of `GET /v1/pods/{namespace}/{name}/updates`.
struct InPlaceUpdateList: Codable {
    var items: [InPlaceUpdate]
}
