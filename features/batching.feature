@batching
Feature: Batching changes
  Notifications are batched: "Hook notifications are sent every five minutes
  to avoid multiple calls for a single user session". Any number of changes
  within a window give one call, calls to a hook are at least one window
  apart, and every change is covered by a call within one window (plus the
  tolerance). See docs/orcid-behaviour.md §7.

  Background:
    Given the member client has a "/webhook" token
    And a record on the target
    And a callback at the harness that answers "204"
    And the client has registered the callback for the record

  @core @F076
  Scenario: BAT-01 A burst of changes gives one call
    When the record changes 10 times within half a window
    Then the callback is called within one window
    And the callback is not called again within one window

  @core @F076
  Scenario: BAT-02 Steady changes give calls at least one window apart
    When the record changes every quarter window for 3 windows
    Then every change is covered by a call within one window
    And calls are at least one window apart

  @core @profile-orcid-registry @F073 @F080
  Scenario: BAT-03 A first change is sent at the next indexing and run, the next one a window after that indexing
    Given a callback at the harness that answers "204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within two dispatcher runs of the change
    When the record changes a quarter window after the last call
    Then the callback is not called again within one window
    And the callback is called again within one window and two dispatcher runs of the last call
