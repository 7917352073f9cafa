import {registry} from "@web/core/registry";

const card = ".o_kanban_record:contains('Zora Tourist')";
const column = (title) => `.o_kanban_group:has(.o_column_title:contains('${title}'))`;

registry.category("web_tour.tours").add("integration_pipeline_tour", {
    steps: () => [
        {
            content: "The pipeline opens as a kanban grouped by stage",
            trigger: `.o_integration_participant_kanban ${column("Registration")} ${card}`,
        },
        {
            content: "Drag her card to the next stage",
            trigger: `${column("Registration")} ${card}`,
            run: `drag_and_drop (${column("Career Orientation")})`,
        },
        {
            content: "The card now sits in Career Orientation",
            trigger: `${column("Career Orientation")} ${card}`,
            run: "click",
        },
        {
            content: "Her form opens with the stage in the status bar",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Career Orientation')",
        },
        {
            content: "The form shows her name",
            trigger:
                ".o_form_view .o_field_widget[name=name] input:value('Zora Tourist')",
        },
    ],
});
