package io.rushcoupon.common.notification;

/** What a notification tells; stored in notification.kind, and the type its payload is read as. */
public enum NotificationKind {

    WINDOW_OPENED(NotificationPayload.WindowOpened.class),
    SOLD_OUT(NotificationPayload.SoldOut.class),
    WINDOW_ENDED(NotificationPayload.WindowEnded.class),
    CLOSED(NotificationPayload.Closed.class),
    PAUSED(NotificationPayload.PauseChanged.class),
    RESUMED(NotificationPayload.PauseChanged.class),
    DEAD_LETTERS(NotificationPayload.DeadLetters.class),
    STATE_REBUILT(NotificationPayload.StateRebuilt.class),
    STOCK_REPAIRED(NotificationPayload.StockRepaired.class);

    private final Class<? extends NotificationPayload> payloadType;

    NotificationKind(Class<? extends NotificationPayload> payloadType) {
        this.payloadType = payloadType;
    }

    public Class<? extends NotificationPayload> payloadType() {
        return payloadType;
    }
}
