// The server process: opens the storage, listens, runs one io_context per
// worker thread, hands each accepted connection to an HttpConnection
// (http/connection.hpp), and shuts down cleanly on SIGTERM/SIGINT.
#include "filetracker/server/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>
#include <utility>  // before Asio 1.74: its awaitable.hpp needs std::exchange
#include <boost/asio.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "filetracker/error.hpp"
#include "filetracker/server/live_check.hpp"
#include "filetracker/server/log.hpp"
#include "filetracker/server/storage.hpp"
#include "fallback/fallback.hpp"
#include "http/background_worker.hpp"
#include "http/connection.hpp"
#include "http/connection_registry.hpp"
#include "http/gatekeeper.hpp"
#include "http/tls_context.hpp"
#include "http/handlers.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace ft::server {
namespace {

// Accepts on the first io_context and hands each connection to the next
// io_context of the pool in turn (one thread per io_context: a connection
// never needs a strand and threads do not contend for one queue).
//
// The acceptor has a thread and an io_context of its own, and the connection
// objects are made on their worker: so the one thing the accepting thread
// allocates per connection is Asio's per-socket state (pooled, never freed),
// all of it together in that thread's malloc arena. Made on a worker, each
// would pin a page amid the memory of that worker's connections, and the
// server would not shrink back after a burst of connections.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // `tls`: HTTPS on this acceptor (null: plain HTTP).
  Listener(std::vector<std::unique_ptr<net::io_context>>& pool, tcp::acceptor& acceptor, ConnectionContext& ctx,
           const TlsContext* tls)
      : pool_(pool), acceptor_(acceptor), ctx_(ctx), tls_(tls) {}
  void accept() {
    auto& target = *pool_[next_++ % pool_.size()];
    acceptor_.async_accept(target.get_executor(), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      log_message(LogLevel::Warning, "accept failed: " + ec.message());
      if (ec == net::error::no_descriptors) {
        // Out of file descriptors: back off a little instead of spinning.
        auto timer = std::make_shared<net::steady_timer>(acceptor_.get_executor(), std::chrono::milliseconds(100));
        timer->async_wait([self = shared_from_this(), timer](beast::error_code) { self->accept(); });
        return;
      }
    } else if (tls_) {
      auto executor = socket.get_executor();
      net::post(executor, [socket = std::move(socket), &ctx = ctx_, context = tls_->current()]() mutable {
        using TlsStream = beast::ssl_stream<beast::tcp_stream>;
        std::make_shared<HttpConnection<TlsStream>>(TlsStream(beast::tcp_stream(std::move(socket)), *context), ctx,
                                                    context)
            ->start();
      });
    } else {
      auto executor = socket.get_executor();
      net::post(executor, [socket = std::move(socket), &ctx = ctx_]() mutable {
        std::make_shared<HttpConnection<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), ctx)->start();
      });
    }
    accept();
  }

  std::vector<std::unique_ptr<net::io_context>>& pool_;
  tcp::acceptor& acceptor_;
  ConnectionContext& ctx_;
  const TlsContext* tls_;
  std::size_t next_ = 0;
};

tcp::acceptor open_acceptor(net::io_context& ioc, const std::string& address_text, std::uint16_t port) {
  beast::error_code ec;
  auto address = net::ip::make_address(address_text, ec);
  if (ec) throw Error(ErrorCode::InvalidArgument, "invalid listen address \"" + address_text + "\": " + ec.message());
  tcp::endpoint endpoint{address, port};
  tcp::acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw Error(ErrorCode::Io, "cannot listen on " + address_text + ":" + std::to_string(port) + ": " + ec.message());
  return acceptor;
}

std::string describe(const tcp::acceptor& acceptor, bool tls) {
  auto local = acceptor.local_endpoint();
  std::string host = local.address().to_string();
  if (local.address().is_v6()) host = "[" + host + "]";
  return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(local.port());
}

}  // namespace

int run_server(const ServerOptions& options) {
  // sendfile() on a socket the client has closed must not kill us.
  std::signal(SIGPIPE, SIG_IGN);

  // Access control: without --auth everyone is the anonymous principal,
  // with full access unless --anonymous says less.
  Gatekeeper gatekeeper(options.auth_file,
                        options.anonymous.value_or(options.auth_file.empty() ? AccessLevel::Admin : AccessLevel::None));
  // TLS: the certificate and key are checked before anything else starts.
  std::unique_ptr<TlsContext> tls;
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty())
      throw Error(ErrorCode::InvalidArgument, "--tls-cert and --tls-key go together");
    tls = std::make_unique<TlsContext>(options.tls_cert, options.tls_key);
  } else if (options.tls_port) {
    throw Error(ErrorCode::InvalidArgument, "--tls-port needs --tls-cert and --tls-key");
  }
  OpenStorage open_storage(options.data_dir, options.backends, options.history, options.inline_max_size);
  Storage& storage = open_storage.storage();
  if (std::size_t n = storage.recovery().temporaries)
    log_message(LogLevel::Warning, "start-up clean-up: removed " + std::to_string(n) + " interrupted upload(s)");

  ServerMetrics metrics;
  HandlerContext handlers{options, storage, make_version_body(options)};
  handlers.metrics = &metrics;
  std::unique_ptr<Fallback> fallback;
  if (!options.fallback_url.empty()) handlers.fallback = (fallback = std::make_unique<Fallback>(options, storage, &metrics)).get();
  Router router(handlers);
  ConnectionRegistry registry;
  ConnectionContext ctx{options, router, registry, gatekeeper};
  ctx.metrics = &metrics;

  unsigned workers = options.workers ? options.workers : std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<net::io_context>> pool;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  for (unsigned i = 0; i < workers; ++i) {
    pool.push_back(std::make_unique<net::io_context>(1));
    keep_running.push_back(net::make_work_guard(*pool.back()));
  }
  net::io_context& ioc = *pool.front();
  // The admin API's edits and live check: after the pool, so that they end
  // (answering through it) before it goes.
  BackgroundWorker admin_worker;
  LiveCheck live_check(storage);
  handlers.gatekeeper = &gatekeeper;
  handlers.admin_worker = &admin_worker;
  handlers.live_check = &live_check;
  net::io_context accept_ioc(1);  // the Listener's own

  // Plain HTTP on --port, unless TLS is on without --tls-port (then HTTPS
  // there); HTTPS on --tls-port. Both acceptors live on accept_ioc.
  const bool plain = !tls || options.tls_port;
  tcp::acceptor acceptor = open_acceptor(accept_ioc, options.address, options.port);
  std::optional<tcp::acceptor> tls_acceptor;
  if (tls && plain) tls_acceptor.emplace(open_acceptor(accept_ioc, options.address, *options.tls_port));
  std::make_shared<Listener>(pool, acceptor, ctx, plain ? nullptr : tls.get())->accept();
  if (tls_acceptor) std::make_shared<Listener>(pool, *tls_acceptor, ctx, tls.get())->accept();
  std::vector<std::string> listening{describe(acceptor, !plain)};
  if (tls_acceptor) listening.push_back(describe(*tls_acceptor, true));

  // SIGHUP: re-read the access file; connections stay, each request after
  // it is judged by the new file.
  net::signal_set reload_signals(ioc, SIGHUP);
  std::function<void()> wait_reload = [&] {
    reload_signals.async_wait([&](beast::error_code sec, int) {
      if (sec) return;
      log_message(LogLevel::Info, "received SIGHUP, reloading");
      gatekeeper.reload();
      if (tls) tls->reload();
      if (!ctx.stopping) wait_reload();
    });
  };
  wait_reload();

  // Shutdown: stop accepting, close idle connections, let the others finish
  // their request; give up on stragglers after 30 s.
  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool finished = false;
  std::thread watchdog;
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code sec, int signal) {
    if (sec) return;
    log_message(LogLevel::Info, std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    ctx.stopping = true;
    if (fallback) fallback->cancel();  // a pull answers 503 now instead of waiting for the old server
    net::post(accept_ioc, [&acceptor, &tls_acceptor] {
      beast::error_code ignored;
      acceptor.close(ignored);
      if (tls_acceptor) tls_acceptor->close(ignored);
    });
    beast::error_code ignored;
    reload_signals.cancel(ignored);
    for (auto& guard : keep_running) guard.reset();  // each io_context ends when its connections are done
    registry.close_idle();
    watchdog = std::thread([&] {
      std::unique_lock lock(stop_mutex);
      if (!stop_cv.wait_for(lock, std::chrono::seconds(30), [&] { return finished; })) {
        log_message(LogLevel::Warning, "shutdown: requests still running after 30 s; stopping anyway");
        for (auto& context : pool) context->stop();
      }
    });
  });

  std::string lines, where;
  for (const auto& url : listening) {
    lines += "filetracker-server: listening on " + url + "\n";
    where += (where.empty() ? "" : " and ") + url;
  }
  std::fputs(lines.c_str(), stdout);  // one write: a reader sees every listener at once
  std::fflush(stdout);
  log_message(LogLevel::Info, "serving " + options.data_dir.string() + " on " + where + " with " +
                                  std::to_string(workers) + " worker(s)" +
                                  (options.extensions ? "" : ", extensions off") +
                                  (fallback ? std::string(fallback->pulls() ? ", pulling" : ", redirecting") +
                                                  " missing names from " + options.fallback_url
                                            : std::string()) +
                                  (gatekeeper.enabled() ? ", access control from " + options.auth_file.string() : ""));

  std::vector<std::thread> threads;
  threads.emplace_back([&accept_ioc] { accept_ioc.run(); });  // ends when the acceptor closes
  for (unsigned i = 1; i < workers; ++i) threads.emplace_back([&pool, i] { pool[i]->run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  // Only after a forced stop can writes still be queued: apply them while
  // the io_context they answer through still exists.
  storage.stop_writer();
  // The fallback's threads answer through the io_contexts (declared after
  // it, so destroyed first): stop them while those still exist. After the
  // writer: a pull's commit callback hands its answer to the fallback.
  fallback.reset();
  {
    std::lock_guard lock(stop_mutex);
    finished = true;
  }
  stop_cv.notify_all();
  if (watchdog.joinable()) watchdog.join();
  log_message(LogLevel::Info, "stopped");
  return 0;
}

}  // namespace ft::server
