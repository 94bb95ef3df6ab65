import NIOCore

/// Runs a crawl's tasks on the one NIO event loop its connections live on. A request is then
/// sent, answered and handled on the thread that reads its response: on Swift's global
/// executor instead, each request passed between those threads and the event loop several
/// times (send, deadline timer, answer, timer cancelled, result), each pass waking a sleeping
/// thread — for a 304 that cost more than the exchange itself. The parse of a 200 (about a
/// millisecond for a typical feed) runs there too, while at most `concurrency` requests wait.
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
