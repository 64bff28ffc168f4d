"""The media library in the admin: a searchable list with thumbnails, a change page where a
click on the picture sets the focal point, where each image is used, warnings before an image
in use is replaced or deleted, and the JSON endpoints the body editor uploads and searches with
(static/admin_newsroom/media.js)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles.images import image_clean
from articles.media import figure_html, image_files_delete
from articles.media.remote import remote_image_fetch
from articles.models import Image
from articles.renditions import picture_data

LIBRARY_PAGE = 24


def thumbnail_url(image: Image) -> str:
    """The smallest rendition made so far, or the original."""
    data = picture_data(image.file, image.renditions)
    first = data.get("srcset", "").split(" ", 1)[0]
    return first or data.get("src", "")


def image_json(image: Image) -> dict:
    return {
        "id": image.pk,
        "url": image.file.url,
        "thumbnail": thumbnail_url(image),
        "alt": image.alt,
        "is_decorative": image.is_decorative,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "html": figure_html(image),
    }


def uses_html(articles) -> str:
    """A list of links to the articles' admin pages, each with its status."""
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> ({})</li>',
        (
            (reverse("admin:articles_article_change", args=[a.pk]), a.title, a.get_status_display())
            for a in articles
        ),
    )
    return format_html('<ul class="image-uses">{}</ul>', items) if items else ""


class ImageAdminForm(forms.ModelForm):
    replace_confirmed = forms.BooleanField(
        label="Replace it everywhere",
        required=False,
        help_text="Needed when published articles show this image: they will show the new file.",
    )

    class Meta:
        model = Image
        fields = ["file", "alt", "is_decorative", "caption", "credit", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01}),
        }
        help_texts = {
            "focal_x": "0 is the left edge, 1 the right; click the picture to set both.",
            "focal_y": "0 is the top, 1 the bottom. Every crop keeps this point in view.",
        }

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            return image_clean(file)
        return file

    def _clean_fraction(self, name):
        value = self.cleaned_data.get(name)
        if value is None or not 0 <= value <= 1:
            raise ValidationError("Give a number from 0 to 1 (0.5 is the middle).")
        return value

    def clean_focal_x(self):
        return self._clean_fraction("focal_x")

    def clean_focal_y(self):
        return self._clean_fraction("focal_y")

    def clean(self):
        data = super().clean()
        if not (data.get("alt") or "").strip() and not data.get("is_decorative"):
            self.add_error("alt", "Describe the image, or mark it as decorative.")
        replacing = self.instance.pk and isinstance(data.get("file"), UploadedFile)
        if replacing and not data.get("replace_confirmed"):
            published = list(self.instance.used_in_published()[:20])
            if published:
                self.add_error(
                    "replace_confirmed",
                    ValidationError(
                        format_html(
                            "Published articles show this image: {} Tick “Replace it "
                            "everywhere” to show the new file in all of them, or upload it as "
                            "a new image instead.",
                            uses_html(published),
                        )
                    ),
                )
        return data


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "__str__", "caption", "credit", "size", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    search_fields = ["alt", "caption", "credit", "file"]
    list_per_page = 48
    readonly_fields = ["focal_picker", "used_in"]
    fieldsets = [
        (None, {"fields": ["file", "replace_confirmed"]}),
        ("Focal point", {"fields": ["focal_picker", "focal_x", "focal_y"]}),
        ("Description", {"fields": ["alt", "is_decorative", "caption", "credit"]}),
        ("Where it is used", {"fields": ["used_in"]}),
    ]

    class Media:
        js = ["admin_newsroom/media.js"]
        css = {"all": ["admin_newsroom/media.css"]}

    @admin.display(description="")
    def thumbnail(self, image):
        return format_html(
            '<img class="image-thumb" src="{}" alt="" width="96" loading="lazy">',
            thumbnail_url(image),
        )

    @admin.display(description="size")
    def size(self, image):
        return f"{image.width}×{image.height}" if image.width else ""

    @admin.display(description="picture (click to set the focal point)")
    def focal_picker(self, image):
        if not image.pk:
            return "Save the image first, then click the point every crop should keep in view."
        return format_html(
            '<div class="focal-picker" data-focal-picker><img src="{}" alt="" width="{}" '
            'height="{}"><span class="focal-marker" data-x="{}" data-y="{}"></span></div>',
            image.file.url,
            image.width or "",
            image.height or "",
            image.focal_x,
            image.focal_y,
        )

    @admin.display(description="used in")
    def used_in(self, image):
        if not image.pk:
            return ""
        return uses_html(image.used_in()[:50]) or "Not used in any article yet."

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing to replace, and no picture to click yet
            return [(None, {"fields": ["file", "focal_x", "focal_y"]}), self.fieldsets[2]]
        return self.fieldsets

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Deletions go through the one-image page, which says where the image is used.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        replaced = None
        if change and "file" in form.changed_data:
            replaced = Image.objects.filter(pk=obj.pk).values_list("file", "renditions").first()
        super().save_model(request, obj, form, change)
        if replaced and replaced[0] != obj.file.name:  # every page shows the new file now
            image_files_delete(obj.file.storage, *replaced)

    def render_delete_form(self, request, context):
        image = context.get("object")
        if image is not None:
            context["published_uses"] = uses_html(image.used_in_published()[:50])
            context["draft_uses"] = uses_html(image.used_in().exclude(status="published")[:50])
        return super().render_delete_form(request, context)

    # The body editor's endpoints -------------------------------------------------------

    def get_urls(self):
        own = [
            path("upload/", self.admin_site.admin_view(self.upload), name="articles_image_upload"),
            path(
                "library/", self.admin_site.admin_view(self.library), name="articles_image_library"
            ),
            path(
                "import/", self.admin_site.admin_view(self.import_url), name="articles_image_import"
            ),
        ]
        return [*own, *super().get_urls()]

    def upload(self, request):
        """One image from the editor (button, drop or paste): validated, stored, described."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        return _upload(request)

    def import_url(self, request):
        """An image a body shows from another site, fetched into the library."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            image = Image.objects.create_from_file(
                remote_image_fetch(request.POST.get("url", "")[:2000]),
                alt=request.POST.get("alt", "").strip(),
                uploaded_by=request.user,
            )
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return JsonResponse(image_json(image), status=201)

    def library(self, request):
        """The newest images matching ?q= (alt text, caption, credit, file name), or ?id=."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "")[:200]
        images = Image.objects.search(query)
        if request.GET.get("id", "").isdigit():  # one image: the hero just chosen
            images = images.filter(pk=request.GET["id"])
        images = images[:LIBRARY_PAGE]
        return JsonResponse({"results": [image_json(image) for image in images]})


def _upload(request):
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse({"error": "Choose an image file to upload."}, status=400)
    try:
        image = Image.objects.create_from_file(
            file,
            alt=request.POST.get("alt", "").strip(),
            caption=request.POST.get("caption", "").strip(),
            credit=request.POST.get("credit", "").strip(),
            is_decorative=request.POST.get("is_decorative") in {"1", "true", "on"},
            uploaded_by=request.user,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(image_json(image), status=201)
