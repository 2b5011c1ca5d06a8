package io.coord.client.discovery;

import io.coord.client.CoordException;
import io.coord.client.session.Session;
import io.coord.client.session.SessionClient;
import io.coord.client.session.SessionState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * This process's registrations, bound to one session that the registry grants and keeps alive.
 * When the session is LOST (expired while the cluster was unreachable, for example), the
 * registry grants a new session as soon as the cluster answers and registers every instance
 * again under it; until then the instances are gone from the registry (that is what LOST
 * means). If the old session still lives on the server for a moment (this client declares LOST
 * a little before the server can expire it), a re-registration is refused with
 * INSTANCE_REGISTERED and retried until the old session is gone.
 *
 * <p>{@link #close()} deregisters everything and revokes the session. Thread-safe.
 */
public final class ServiceRegistry implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ServiceRegistry.class.getName());
  private static final long MIN_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 2000;

  private final DiscoveryClient discovery;
  private final SessionClient sessions;
  private final Duration ttl;
  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final List<Consumer<Session>> reRegistered = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private Session session;
  private long generation;
  private volatile boolean closed;

  ServiceRegistry(DiscoveryClient discovery, SessionClient sessions, Duration ttl) {
    this.discovery = discovery;
    this.sessions = sessions;
    this.ttl = ttl;
  }

  /**
   * Registers (or updates) an instance under the registry's session, granting the session on
   * first use. Kept registered across session loss until {@link #deregister} or close.
   */
  public ServiceInstance register(Registration registration) {
    Session current = currentSession();
    ServiceInstance instance = discovery.register(registration, current);
    registrations.put(key(registration.service(), registration.id()), registration);
    return instance;
  }

  /** Removes an instance and stops re-registering it. */
  public void deregister(String service, String id) {
    registrations.remove(key(service, id));
    discovery.deregister(service, id);
  }

  /** The session the instances are registered under now (granted on first use). */
  public Session session() {
    return currentSession();
  }

  /** What this registry keeps registered. */
  public List<Registration> registrations() {
    return List.copyOf(registrations.values());
  }

  /** {@code listener} is told (with the new session) each time everything was re-registered. */
  public void onReRegistered(Consumer<Session> listener) {
    reRegistered.add(listener);
  }

  private Session currentSession() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the registry is closed");
      }
      if (session == null || session.isLost()) {
        session = sessions.grant(ttl);
        generation++;
        long mine = generation;
        session.addListener((s, state) -> {
          if (state == SessionState.LOST) {
            lost(mine);
          }
        });
      }
      return session;
    }
  }

  private void lost(long lostGeneration) {
    synchronized (lock) {
      if (closed || lostGeneration != generation) {
        return;
      }
    }
    LOG.info("session lost; registering " + registrations.size()
        + " instances again under a new session");
    schedule(() -> reRegister(lostGeneration, MIN_RETRY_MS), 0);
  }

  private void reRegister(long lostGeneration, long backoffMs) {
    if (closed) {
      return;
    }
    try {
      Session fresh;
      synchronized (lock) {
        if (lostGeneration != generation && session != null && !session.isLost()) {
          fresh = session;
        } else {
          fresh = currentSession();
        }
      }
      for (Registration registration : registrations.values()) {
        discovery.register(registration, fresh);
      }
      LOG.info("re-registered " + registrations.size() + " instances under session "
          + fresh.id());
      reRegistered.forEach(listener -> listener.accept(fresh));
    } catch (CoordException | IllegalStateException e) {
      if (closed) {
        return;
      }
      LOG.fine("re-registration failed, will retry: " + e);
      long next = Math.min(MAX_RETRY_MS, backoffMs * 2);
      schedule(() -> reRegister(lostGeneration, next), backoffMs);
    }
  }

  private void schedule(Runnable task, long delayMs) {
    try {
      discovery.scheduler().schedule(() -> discovery.listenerPool().execute(task), delayMs,
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException clientClosed) {
      // The client is closing.
    }
  }

  private static String key(String service, String id) {
    return service + "/" + id;
  }

  /** Deregisters every instance and revokes the session. */
  @Override
  public void close() {
    Session current;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      current = session;
    }
    if (current != null) {
      current.close();
    }
    registrations.clear();
    discovery.forget(this);
  }
}
