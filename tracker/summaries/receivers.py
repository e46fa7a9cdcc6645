"""What the summaries do when the models announce a change, connected in TrackerConfig.ready()."""

from tracker.summaries import event_summaries_refresh
from tracker.summaries.fates import event_people, people_events, person_fates_refresh
from tracker.summaries.grades import events_citing_sources, grades_store
from tracker.summaries.tallies import EventShares, tallies_store


def claims_summarise(sender, event_ids, **kwargs) -> None:
    """Refresh the summaries of the events whose claims changed (tracker.models.signals.claims_changed)."""
    event_summaries_refresh(events=event_ids)


def event_tallies_forget(sender, instance, **kwargs) -> None:
    """Take a deleted event's shares out of the totals (its share rows go with it)."""
    tallies_store({instance.pk: EventShares()})


def perpetrators_grade(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Store the grades of events whose alleged perpetrators changed (m2m_changed): the suggestion reads them."""
    if not action.startswith("post_"):
        return
    if not reverse:
        grades_store([instance.pk])
    elif pk_set is not None:
        grades_store(pk_set)
    else:  # a party's events cleared: which ones is known only before
        grades_store(instance._grade_events)


def perpetrators_remember(sender, instance, action, reverse, **kwargs) -> None:
    """Before a party's alleged events are cleared, remember them for `perpetrators_grade`."""
    if reverse and action == "pre_clear":
        instance._grade_events = list(instance.alleged_events.values_list("pk", flat=True))


def relays_grade(sender, instance, created=False, raw=False, **kwargs) -> None:
    """Store the grades of the events whose claims cite a saved source, or a source relaying it: which sources
    count as independent may have changed. A new source is cited by no claim yet."""
    if raw or created:
        return
    grades_store(events_citing_sources([instance.pk]))


def assessment_grade(sender, instance, raw=False, **kwargs) -> None:
    """Store the grade of an event whose assessment was saved or deleted (post_save, post_delete)."""
    if not raw:
        grades_store([instance.event_id])


def fates_summarise(sender, person_ids, **kwargs) -> None:
    """Store the fate conflicts of the people whose fate claims changed (tracker.models.signals.fates_changed),
    and the summaries of the events they are named in: which of their fate claims are death claims there may
    have changed with any of them."""
    person_fates_refresh(people=person_ids)
    events = people_events(person_ids)
    if events:
        event_summaries_refresh(events=events)


def event_date_fates(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    """Store again the fate conflicts of the people whose fate claims take a saved event's date (post_save)."""
    if raw or created or (update_fields is not None and "start_date" not in update_fields):
        return
    people = event_people(instance.pk)
    if people:
        person_fates_refresh(people=people)
