/// Runs `body` again while it fails with a 409 `Conflict` (client-go's `RetryOnConflict`): the
/// body reads the object afresh, changes it and writes it with the resourceVersion it read.
/// - Parameter attempts: the most runs (client-go's DefaultRetry: 5), 10 ms apart, doubling.
/// - Throws: the last error: a ``KubeClientError`` conflict after `attempts` runs, or any other
///   error at once.
public func retryOnConflict<T: Sendable>(attempts: Int = 5, _ body: () async throws -> T) async throws -> T {
    var delay = Duration.milliseconds(10)
    for attempt in 1... {
        do {
            return try await body()
        } catch let error as KubeClientError where error.isConflict && attempt < attempts {
            try await Task.sleep(for: delay)
            delay *= 2
        }
    }
    fatalError("unreachable")
}
