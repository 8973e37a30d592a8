"""One forum, one topic of 500 posts (the portal's thread has 500 comments); visitors may read it.

Prints the topic's path, for MACHINA_URL.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from machina.apps.forum.models import Forum  # noqa: E402
from machina.apps.forum_conversation.models import Post, Topic  # noqa: E402
from machina.apps.forum_permission.models import ForumPermission, UserForumPermission  # noqa: E402

TEXT = ("We support **point {n}**, provided carriers get a transition period.\n\n"
        "- the manifest data is already in our systems;\n- the parcel data is not, before loading.\n\n"
        "See [the draft](https://example.org/draft) for the fields we mean.")

topic = Topic.objects.filter(subject="One data set for low-value parcels").first()
if topic is None:
    forum = Forum.objects.create(name="Consultations", type=Forum.FORUM_POST)
    for codename in ("can_see_forum", "can_read_forum"):
        UserForumPermission.objects.create(forum=forum, anonymous_user=True, has_perm=True,
                                           permission=ForumPermission.objects.get(codename=codename))
    people = [User.objects.create_user(f"commenter{i}", f"commenter{i}@example.org") for i in range(50)]
    topic = Topic.objects.create(forum=forum, poster=people[0], subject="One data set for low-value parcels",
                                 type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED, approved=True)
    for n in range(500):
        Post.objects.create(topic=topic, poster=people[n % 50], subject=f"Point {n}", content=TEXT.format(n=n),
                            approved=True)
forum = topic.forum
print(f"/forum/forum/{forum.slug}-{forum.pk}/topic/{topic.slug}-{topic.pk}/")
