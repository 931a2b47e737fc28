package org.pgsession;

/**
 * A LISTEN/NOTIFY notification.
 *
 * @param channel the channel name
 * @param payload the payload ("" when none was given)
 * @param pid the process id of the notifying backend
 */
public record Notification(String channel, String payload, int pid) {}
