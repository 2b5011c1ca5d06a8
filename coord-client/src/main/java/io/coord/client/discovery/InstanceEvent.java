package io.coord.client.discovery;

/**
 * A change of one instance.
 *
 * @param type what happened
 * @param service the service
 * @param id the instance id
 * @param instance the instance after the change; null for a DELETE
 */
public record InstanceEvent(Type type, String service, String id, ServiceInstance instance) {
  /** Kinds of change. */
  public enum Type {
    /** Registered, updated, or its health changed. */
    PUT,
    /** Deregistered, its session ended, or removed after being critical too long. */
    DELETE
  }

  static InstanceEvent of(io.coord.proto.v1.InstanceEvent event) {
    var instance = event.getInstance();
    return event.getType() == io.coord.proto.v1.InstanceEvent.Type.DELETE
        ? new InstanceEvent(Type.DELETE, instance.getService(), instance.getId(), null)
        : new InstanceEvent(Type.PUT, instance.getService(), instance.getId(),
            ServiceInstance.of(instance));
  }
}
