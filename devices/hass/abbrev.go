package hass

// expandKey returns the full name of a discovery key, expanding Home
// Assistant's abbreviations (homeassistant/components/mqtt/abbreviations.py)
// for the keys hamlet reads and their close relatives. Keys that are not
// abbreviations are returned unchanged, so both forms are accepted.
func expandKey(k string) string {
	switch k {
	// Topics.
	case "~":
		return "~"
	case "stat_t":
		return "state_topic"
	case "cmd_t":
		return "command_topic"
	case "avty_t":
		return "availability_topic"
	case "bri_stat_t":
		return "brightness_state_topic"
	case "bri_cmd_t":
		return "brightness_command_topic"
	case "json_attr_t":
		return "json_attributes_topic"
	case "img_t":
		return "image_topic"
	case "url_t":
		return "url_topic"
	case "t":
		return "topic"
	case "clrm_stat_t":
		return "color_mode_state_topic"
	case "fx_cmd_t":
		return "effect_command_topic"
	case "fx_stat_t":
		return "effect_state_topic"
	case "rgb_cmd_t":
		return "rgb_command_topic"
	case "rgb_stat_t":
		return "rgb_state_topic"
	case "clr_temp_cmd_t":
		return "color_temp_command_topic"
	case "clr_temp_stat_t":
		return "color_temp_state_topic"
	// Payloads and states.
	case "pl_on":
		return "payload_on"
	case "pl_off":
		return "payload_off"
	case "pl_avail":
		return "payload_available"
	case "pl_not_avail":
		return "payload_not_available"
	case "pl_prs":
		return "payload_press"
	case "pl":
		return "payload"
	case "stat_on":
		return "state_on"
	case "stat_off":
		return "state_off"
	// Templates.
	case "val_tpl":
		return "value_template"
	case "stat_tpl":
		return "state_template"
	case "stat_val_tpl":
		return "state_value_template"
	case "bri_val_tpl":
		return "brightness_value_template"
	case "bri_tpl":
		return "brightness_template"
	case "cmd_tpl":
		return "command_template"
	case "cmd_on_tpl":
		return "command_on_template"
	case "cmd_off_tpl":
		return "command_off_template"
	case "avty_tpl":
		return "availability_template"
	case "json_attr_tpl":
		return "json_attributes_template"
	// Availability.
	case "avty":
		return "availability"
	case "avty_mode":
		return "availability_mode"
	// Identity and description.
	case "uniq_id":
		return "unique_id"
	case "obj_id":
		return "object_id"
	case "def_ent_id":
		return "default_entity_id"
	case "dev":
		return "device"
	case "o":
		return "origin"
	case "cmps":
		return "components"
	case "p":
		return "platform"
	case "migr_discvry":
		return "migrate_discovery"
	case "dev_cla":
		return "device_class"
	case "stat_cla":
		return "state_class"
	case "unit_of_meas":
		return "unit_of_measurement"
	case "sug_dsp_prc":
		return "suggested_display_precision"
	case "ent_cat":
		return "entity_category"
	case "en":
		return "enabled_by_default"
	case "ic":
		return "icon"
	case "exp_aft":
		return "expire_after"
	case "frc_upd":
		return "force_update"
	case "opt":
		return "optimistic"
	case "ret":
		return "retain"
	case "e":
		return "encoding"
	case "json_attr":
		return "json_attributes"
	// Light.
	case "bri_scl":
		return "brightness_scale"
	case "clrm":
		return "color_mode"
	case "sup_clrm":
		return "supported_color_modes"
	case "fx_list":
		return "effect_list"
	case "on_cmd_type":
		return "on_command_type"
	case "max_mirs":
		return "max_mireds"
	case "min_mirs":
		return "min_mireds"
	case "flsh_tlng":
		return "flash_time_long"
	case "flsh_tsht":
		return "flash_time_short"
	// Siren and camera.
	case "av_tones":
		return "available_tones"
	case "sup_dur":
		return "support_duration"
	case "sup_vol":
		return "support_volume_set"
	case "img_e":
		return "image_encoding"
	case "off_dly":
		return "off_delay"
	}
	return k
}

// expandDeviceKey expands the abbreviations of the device block.
func expandDeviceKey(k string) string {
	switch k {
	case "ids":
		return "identifiers"
	case "cns":
		return "connections"
	case "mf":
		return "manufacturer"
	case "mdl":
		return "model"
	case "mdl_id":
		return "model_id"
	case "sw":
		return "sw_version"
	case "hw":
		return "hw_version"
	case "sn":
		return "serial_number"
	case "sa":
		return "suggested_area"
	case "cu":
		return "configuration_url"
	case "via_dev":
		return "via_device"
	}
	return k
}

// expandOriginKey expands the abbreviations of the origin block.
func expandOriginKey(k string) string {
	switch k {
	case "sw":
		return "sw_version"
	case "url":
		return "support_url"
	}
	return k
}

// expandAvailabilityKey expands the abbreviations of one availability list item.
func expandAvailabilityKey(k string) string {
	switch k {
	case "t":
		return "topic"
	case "pl_avail":
		return "payload_available"
	case "pl_not_avail":
		return "payload_not_available"
	case "val_tpl":
		return "value_template"
	}
	return k
}
