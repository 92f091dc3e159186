@receiver
Feature: Receiving notifications (receiver certification)
  The other side of the webhook: the harness plays the registry and calls a
  member's callback endpoint as ORCID does. The notification is a POST with
  an empty body and "Content-Length: 0", HTTP/1.1, no redirects followed,
  one timeout for the whole call (20 s on ORCID). Any 2xx is success (204 is
  recommended); anything else, a timeout included, is a failed delivery that
  is retried. Delivery is at least once, so the same notification may arrive
  again, and several at once. See docs/orcid-behaviour.md §8–§10.

  The callback carries no record data: only its URL says which record
  changed, so a receiver reads the record from the registry when called,
  and members sign each record's callback URL so that strangers cannot make
  them work. With a registry (--registry), every notification answered 2xx
  must be matched to a read of its record on it.

  Only "hookcheck certify-receiver" runs this feature; the conformance suite
  leaves it out.

  @core
  Scenario: RCV-01 An empty notification is answered with a 2xx
    Given a record the registry holds
    When the registry POSTs an empty notification to the record's callback
    Then the answer is a 2xx
    And an answer other than 204 is noted
    And every notification answered 2xx was matched to a read of the record

  @core
  Scenario: RCV-02 The answer comes well inside the callback timeout
    # "Well inside" is under half the registry's callback timeout: the
    # rest is the margin for a busy receiver or a slow network. Only a 2xx
    # is timed: a fast 404 or 500 is a fast failure.
    Given a record the registry holds
    When the registry POSTs an empty notification to the record's callback
    Then the answer is a 2xx within half the callback timeout

  @core
  Scenario: RCV-03 Repeated notifications for one record are all accepted
    Given a record the registry holds
    When the registry POSTs 5 notifications in a row to the record's callback
    Then every answer is a 2xx
    And every notification answered 2xx was matched to a read of the record

  @core
  Scenario: RCV-04 Concurrent duplicate notifications are all accepted
    Given a record the registry holds
    When the registry POSTs 20 notifications at once to the record's callback
    Then every answer is a 2xx
    And every notification answered 2xx was matched to a read of the record

  @core
  Scenario: RCV-05 A notification for an unknown record is no server error
    # The callback of a record the receiver does not know, made as the
    # member makes the others (the "unknown" row of --callbacks, or
    # --callback-cmd for a fresh iD).
    Given a record the receiver cannot know
    When the registry POSTs an empty notification to the record's callback
    Then the answer is not a 5xx

  @extended
  Scenario: RCV-06 Answers to other methods are reported
    # Informational: the registry only ever POSTs, so these answers never
    # fail the certification; they are noted in the report.
    Given a record the registry holds
    When the harness sends GET, PUT and DELETE to the record's callback
    Then their answers are noted

  @core
  Scenario: RCV-07 A refused record read makes the receiver ask for a retry
    # The receiver's access was revoked: the registry answers its read 403.
    # A 503 (or 429) asks the registry to call again later; a 500 is a
    # crash of the receiver's error path. Skipped without a registry.
    Given a record the registry holds
    And the registry refuses the next read of the record with 403
    When the registry POSTs an empty notification to the record's callback
    Then the receiver read the record
    And the answer asks for a retry

  @core
  Scenario: RCV-08 A failing record read makes the receiver ask for a retry
    Given a record the registry holds
    And the registry refuses the next read of the record with 500
    When the registry POSTs an empty notification to the record's callback
    Then the receiver read the record
    And the answer asks for a retry

  @extended
  Scenario: RCV-09 A slow record read still gets an answer in time
    Given a record the registry holds
    And the next read of the record takes a quarter of the callback timeout
    When the registry POSTs an empty notification to the record's callback
    Then the answer comes within the callback timeout

  @extended
  Scenario: RCV-10 A forged callback is refused and reads nothing
    # A record's callback with another record's iD under its signature, or
    # with its signature changed. Skipped when the callbacks come from a
    # template (--url): they carry no per-record token.
    Given a forged callback for a record the registry holds
    When the registry POSTs an empty notification to the record's callback
    Then the answer is a 4xx
    And the receiver read no record
