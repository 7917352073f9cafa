import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("integration_full_course_tour", {
    steps: () => [
        {
            content: "A new enrolment",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the participant",
            trigger: ".o_form_view .o_field_widget[name=participant_id] input",
            run: "edit Nora Newcomer",
        },
        {
            content: "Pick her",
            trigger: ".o-autocomplete--dropdown-item:contains('Nora Newcomer')",
            run: "click",
        },
        {
            content: "Look for the course",
            trigger: ".o_form_view .o_field_widget[name=course_id] input",
            run: "edit Tour Full",
        },
        {
            content: "The picker says the course is full and who waits",
            trigger:
                ".o-autocomplete--dropdown-item:contains('Tour Full Course (full, 1 waiting)')",
            run: "click",
        },
        {
            content: "Before saving, she is already on the waiting list",
            trigger:
                ".o_form_view:has(.o_form_button_save) .o_statusbar_status button.o_arrow_button_current:contains('Waiting List')",
        },
        {
            content: "Second in line",
            trigger:
                ".o_form_view .o_field_widget[name=waitlist_position]:contains('2')",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, she stays on the waiting list",
            trigger:
                ".o_form_view:not(:has(.o_form_button_save:visible)) .o_statusbar_status button.o_arrow_button_current:contains('Waiting List')",
        },
    ],
});
