-- At most one pending delivery of an event to an endpoint (SPEC §12: an endpoint never gets one
-- event twice at the same time). A resend while one was still pending, being sent or waiting for
-- its retry, used to queue a second one beside it. Those queued before are ended here, the
-- earliest of each pair kept; from now on the index refuses a second one
-- (``DeliveryRepository.add``).

UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL,
    error = 'superseded: another delivery of this event to this endpoint was pending'
WHERE status = 'pending' AND EXISTS (
    SELECT 1 FROM webhook_deliveries earlier
    WHERE earlier.event_id = webhook_deliveries.event_id
      AND earlier.endpoint_id = webhook_deliveries.endpoint_id
      AND earlier.status = 'pending' AND earlier.seq < webhook_deliveries.seq);

CREATE UNIQUE INDEX webhook_deliveries_one_pending ON webhook_deliveries (event_id, endpoint_id)
    WHERE status = 'pending';
