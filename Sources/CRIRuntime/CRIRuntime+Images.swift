import CRIProto
import ContainerRuntime

extension CRIRuntime {
    /// CRI `PullImage` of `image` (with no registry credentials), with the pod's sandbox config
    /// when given (runtimes use it for e.g. the runtime handler). Deadline
    /// ``CRITimeouts/pullImage``.
    /// - Returns: the `image_ref` the runtime resolved the image to (containerd 1.6: the image ID,
    ///   `sha256:…`).
    /// - Throws: `.failed` with the runtime's message when the image cannot be pulled (unknown,
    ///   unreachable registry, invalid reference); `.unavailable` when the runtime is unreachable
    ///   or the deadline passes.
    public func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String {
        var request = Runtime_V1_PullImageRequest()
        request.image.image = image
        if let sandboxConfig { request.sandboxConfig = CRIConversions.sandboxConfig(sandboxConfig) }
        let response = try await invoke("PullImage", deadline: timeouts.pullImage) { connection, options in
            try await connection.image.pullImage(request, options: options)
        }
        return response.imageRef
    }

    /// CRI `ImageStatus` of `image` (a reference or an image ID): the image, or nil when the
    /// runtime reports none (the response's `image` unset).
    /// - Throws: `.failed` (e.g. an invalid reference), `.unavailable`.
    public func imageStatus(_ image: String) async throws -> RuntimeImage? {
        var request = Runtime_V1_ImageStatusRequest()
        request.image.image = image
        let response = try await invoke("ImageStatus", deadline: timeouts.general) { connection, options in
            try await connection.image.imageStatus(request, options: options)
        }
        return response.hasImage ? CRIConversions.image(response.image) : nil
    }

    /// CRI `ListImages` with no filter: every image on the node (id, repo tags, repo digests, size
    /// in bytes).
    /// - Throws: `.unavailable`, `.failed`.
    public func listImages() async throws -> [RuntimeImage] {
        let response = try await invoke("ListImages", deadline: timeouts.general) { connection, options in
            try await connection.image.listImages(Runtime_V1_ListImagesRequest(), options: options)
        }
        return response.images.map(CRIConversions.image)
    }
}
